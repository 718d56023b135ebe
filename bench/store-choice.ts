/**
 * Why the embedded store is SQLite: measures, side by side in one run, events/s written durably by
 * (a) the SqliteStore (WAL, json_each over the raw request bodies, dedup by UNIQUE event_id) and
 * (b) an append-only JSONL segment log with fdatasync per batch and an in-memory Set for dedup.
 * Usage: node dist/bench/store-choice.js [events=200000] [batch=1000]
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventGenerator } from '../src/events/event-generator.js';
import type { AcceptedRequest } from '../target-service/src/buffer/event-buffer.js';
import type { IngestEvent } from '../contract/event-schema.js';
import { SqliteStore } from '../target-service/src/stores/sqlite-store.js';

const total = Number(process.argv[2] ?? 200_000);
const batchSize = Number(process.argv[3] ?? 1000);
const generator = createEventGenerator({ seed: 1 });
// What the flusher hands a store: accepted requests of 100 events (raw text and parsed events).
const batches: AcceptedRequest[][] = [];
for (let i = 0; i < total / batchSize; i++) {
  batches.push(
    Array.from({ length: batchSize / 100 }, () => {
      const json = generator.nextBatchJson(100);
      return { json, shape: 'batch' as const, count: 100 };
    }),
  );
}

async function timeSqlite(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sqlite-'));
  const store = await SqliteStore.open(dir);
  const started = performance.now();
  // The flusher keeps up to 4 writes in flight; do the same.
  const inFlight: Promise<unknown>[] = [];
  for (const batch of batches) {
    inFlight.push(store.write(batch));
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  if ((await store.count()) !== total) throw new Error('sqlite lost events');
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return total / seconds;
}

function timeSegmentLog(): number {
  const dir = mkdtempSync(join(tmpdir(), 'bench-log-'));
  const fd = openSync(join(dir, 'segment-0001.jsonl'), 'a');
  const seen = new Set<string>();
  const started = performance.now();
  for (const batch of batches) {
    let text = '';
    for (const event of batch.flatMap((request) => (JSON.parse(request.json) as { batch: IngestEvent[] }).batch)) {
      if (seen.has(event.event_id)) continue;
      seen.add(event.event_id);
      text += JSON.stringify(event) + '\n';
    }
    writeSync(fd, text);
    fdatasyncSync(fd);
  }
  const seconds = (performance.now() - started) / 1000;
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  return total / seconds;
}

const rounds: Array<{ sqlite: number; log: number }> = [];
for (let round = 0; round < 3; round++) rounds.push({ sqlite: await timeSqlite(), log: timeSegmentLog() });
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const sqlite = median(rounds.map((r) => r.sqlite));
const log = median(rounds.map((r) => r.log));
console.log(`events: ${total}, batch: ${batchSize}, rounds: ${rounds.length} (median)`);
console.log(`sqlite store (worker thread, WAL, dedup on disk): ${Math.round(sqlite).toLocaleString('en')} events/s`);
console.log(`segment log (main thread, fdatasync, dedup in RAM): ${Math.round(log).toLocaleString('en')} events/s`);
console.log(`ratio sqlite/log: ${(sqlite / log).toFixed(2)}`);
