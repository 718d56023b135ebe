/** Counts the events in an embedded store directory by reading its SQLite file directly. */
import Database from 'better-sqlite3';
import { join } from 'node:path';

export function countStoredEvents(storeDir: string): number {
  const db = new Database(join(storeDir, 'events.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  } finally {
    db.close();
  }
}
