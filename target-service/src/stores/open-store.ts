/** Picks the store from `--store`: a `mongodb://` or `mongodb+srv://` URI, otherwise a directory for SQLite. */
import { ServiceError, UsageError } from '../../../contract/loadctl-error.js';
import type { AcceptedRequest } from '../buffer/event-buffer.js';
import type { EventStore, WriteResult } from './event-store.js';
import { MongoStore, redact } from './mongo-store.js';
import { SqliteStore } from './sqlite-store.js';
import { prepareStoreDirectory, StoreDirectoryProblem } from './store-directory.js';

/** True for a MongoDB connection string; anything else is a directory for the embedded store. */
export function isMongoUri(spec: string): boolean {
  return /^mongodb(\+srv)?:\/\//.test(spec);
}

/** Where spill and dead-letter files go: next to the SQLite file, or .loadctl/ for a remote store. */
export function sideFileDirectory(spec: string): string {
  return isMongoUri(spec) ? '.loadctl' : spec;
}

export async function openStore(spec: string, options: { writeDelayMs: number; log?: (line: string) => void }): Promise<EventStore> {
  const store = await openBaseStore(spec, options.log);
  return options.writeDelayMs > 0 ? new SlowedStore(store, options.writeDelayMs) : store;
}

async function openBaseStore(spec: string, log?: (line: string) => void): Promise<EventStore> {
  if (isMongoUri(spec)) {
    try {
      return await MongoStore.open(spec);
    } catch (error) {
      throw new ServiceError(`cannot reach MongoDB at ${redact(spec)}: ${(error as Error).message}`, {
        hint: 'start the server (scripts/provision-ferretdb.sh builds FerretDB, a local MongoDB-wire server; see README) or use --store DIR for the embedded store',
        cause: error,
      });
    }
  }
  try {
    return await SqliteStore.open(spec, { log });
  } catch (error) {
    if (error instanceof StoreDirectoryProblem) throw unusableStorePath(error);
    throw new ServiceError(`cannot open the embedded store in ${spec}: ${(error as Error).message}`, {
      hint: 'check the directory and the file in it (a database from another program, or a corrupt one, cannot be opened)',
      cause: error,
    });
  }
}

/**
 * Refuses, as a usage error (exit 2), a `--store` directory that cannot hold a database, and creates it.
 * A cluster primary calls this before forking, so a bad path is one clear error rather than N workers
 * dying before they listen. A MongoDB URI is checked by connecting, later.
 */
export function checkStorePath(spec: string): void {
  if (isMongoUri(spec)) return;
  try {
    prepareStoreDirectory(spec);
  } catch (error) {
    if (error instanceof StoreDirectoryProblem) throw unusableStorePath(error);
    throw error;
  }
}

function unusableStorePath(problem: StoreDirectoryProblem): UsageError {
  return new UsageError(`cannot open the embedded store in ${problem.directory}: ${problem.message}`, {
    hint: 'pass --store DIR with a writable directory on a real disk (not under /proc or /sys), with free space',
    cause: problem,
  });
}

/** Test knob (`--store-delay-ms`): a store slower than the ingest rate, to exercise backpressure. */
class SlowedStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly delayMs: number,
  ) {}

  get description(): string {
    return `${this.inner.description}, slowed by ${this.delayMs} ms per write`;
  }

  get restarts(): number | undefined {
    return this.inner.restarts;
  }

  async write(requests: AcceptedRequest[]): Promise<WriteResult> {
    await new Promise((done) => setTimeout(done, this.delayMs));
    return this.inner.write(requests);
  }

  count(): Promise<number> {
    return this.inner.count();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
