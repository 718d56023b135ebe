/** The embedded store on a real SQLite file: every body shape, idempotent writes, and JSON.parse's reading of duplicate keys. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../../target-service/src/stores/sqlite-store.js';
import { createEventGenerator } from '../../../src/events/event-generator.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

function storedRows(dir: string): Array<{ event_id: string; event_type: string; body: string }> {
  const db = new Database(join(dir, 'events.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT event_id, event_type, body FROM events ORDER BY seq').all() as Array<{ event_id: string; event_type: string; body: string }>;
  } finally {
    db.close();
  }
}

function pageSize(dir: string): number {
  const db = new Database(join(dir, 'events.sqlite'), { readonly: true });
  try {
    return db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('SqliteStore', () => {
  const generator = createEventGenerator({ seed: 17 });

  it('stores single, batch and array bodies, each event as its own row with its full JSON', async () => {
    const dir = makeTempDir();
    const store = await SqliteStore.open(dir);
    const single = generator.nextEventJson();
    const batch = generator.nextBatchJson(3);
    const array = `[${generator.nextEventJson()}, ${generator.nextEventJson()}]`;
    const result = await store.write([
      { json: single, shape: 'single', count: 1 },
      { json: batch, shape: 'batch', count: 3 },
      { json: array, shape: 'array', count: 2 },
    ]);
    await store.close();
    assert.deepEqual(result, { inserted: 6, duplicates: 0 });
    const rows = storedRows(dir);
    assert.equal(rows.length, 6);
    assert.deepEqual(JSON.parse(rows[0]!.body), JSON.parse(single));
    assert.deepEqual(rows.slice(1, 4).map((row) => JSON.parse(row.body)), JSON.parse(batch).batch);
  });

  it('writing the same events again stores them once and reports them as duplicates', async () => {
    const dir = makeTempDir();
    const store = await SqliteStore.open(dir);
    const batch = generator.nextBatchJson(5);
    assert.deepEqual(await store.write([{ json: batch, shape: 'batch', count: 5 }]), { inserted: 5, duplicates: 0 });
    assert.deepEqual(await store.write([{ json: batch, shape: 'batch', count: 5 }]), { inserted: 0, duplicates: 5 });
    assert.equal(await store.count(), 5);
    await store.close();
  });

  it('with duplicate keys, stores what the validator saw (the last value), not SQLite\'s first', async () => {
    const dir = makeTempDir();
    const store = await SqliteStore.open(dir);
    const [first, second] = [generator.nextEvent(), generator.nextEvent()];
    const duplicateBatch = `{"batch":[${JSON.stringify(first)}],"batch":[${JSON.stringify(second)}]}`;
    const duplicateField = JSON.stringify({ ...second, event_id: 'X' }).replace('"event_id":"X"', `"event_id":"never-validated","event_id":"dup-field"`);
    await store.write([
      { json: duplicateBatch, shape: 'batch', count: 1 },
      { json: duplicateField, shape: 'single', count: 1 },
    ]);
    await store.close();
    assert.deepEqual(storedRows(dir).map((row) => row.event_id), [second.event_id, 'dup-field']);
  });

  it('creates new stores with 16 KB pages, and still opens a store made with 4 KB pages', async () => {
    const fresh = makeTempDir();
    await (await SqliteStore.open(fresh)).close();
    assert.equal(pageSize(fresh), 16384);

    const older = makeTempDir();
    const db = new Database(join(older, 'events.sqlite'));
    db.pragma('page_size = 4096');
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, event_type TEXT NOT NULL, received_at INTEGER NOT NULL, body TEXT NOT NULL)');
    db.close();
    const store = await SqliteStore.open(older);
    assert.deepEqual(await store.write([{ json: generator.nextBatchJson(4), shape: 'batch', count: 4 }]), { inserted: 4, duplicates: 0 });
    await store.close();
    assert.equal(pageSize(older), 4096, 'an existing file keeps its page size');
    assert.equal(storedRows(older).length, 4);
  });
});
