/** MongoDB (or any MongoDB-wire server, e.g. FerretDB) store via the official driver. */
import { MongoBulkWriteError, MongoClient, type Collection, type Document } from 'mongodb';
import { countEvents, type AcceptedRequest } from '../buffer/event-buffer.js';
import { eventsInBody } from '../contract/body-events.js';
import type { EventStore, WriteResult } from './event-store.js';

const DUPLICATE_KEY = 11000;

export class MongoStore implements EventStore {
  readonly description: string;

  private constructor(
    private readonly client: MongoClient,
    private readonly collection: Collection<Document>,
    uri: string,
  ) {
    this.description = `mongodb ${redact(uri)} (${collection.dbName}.${collection.collectionName})`;
  }

  /** Connects (failing fast if the server is unreachable at start) and uses `<db>.events`. */
  static async open(uri: string): Promise<MongoStore> {
    // Short selection timeout: during an outage a write fails in seconds and the flusher retries with
    // backoff, instead of hanging 30 s per attempt while the buffer fills.
    // socketTimeoutMS: a server that stops answering must fail the write (and be retried), not hang it forever.
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000, socketTimeoutMS: 10_000 });
    await client.connect();
    // The driver reports 'test' when the URI names no database; only a database the URI names is used.
    const named = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri)?.[1];
    const db = client.db(named ? decodeURIComponent(named) : 'loadctl');
    return new MongoStore(client, db.collection('events'), uri);
  }

  async write(requests: AcceptedRequest[]): Promise<WriteResult> {
    // _id is the event_id: the always-present unique _id index makes retries and resends idempotent.
    const docs: Document[] = [];
    for (const request of requests) {
      for (const event of eventsInBody(request.json, request.shape)) docs.push({ ...event, _id: event.event_id });
    }
    try {
      const result = await this.collection.insertMany(docs, { ordered: false });
      return { inserted: result.insertedCount, duplicates: 0 };
    } catch (error) {
      if (error instanceof MongoBulkWriteError && onlyDuplicates(error)) {
        return { inserted: error.result.insertedCount, duplicates: countEvents(requests) - error.result.insertedCount };
      }
      throw error;
    }
  }

  count(): Promise<number> {
    return this.collection.countDocuments();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function onlyDuplicates(error: MongoBulkWriteError): boolean {
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return writeErrors.length > 0 && writeErrors.every((writeError) => writeError.code === DUPLICATE_KEY);
}

/** Hides credentials in the start-up log. */
export function redact(uri: string): string {
  return uri.replace(/\/\/([^@/]+)@/, '//***@');
}
