/**
 * Writes the request bodies `bench/target-service.sh` sends, one JSON document per line, from the
 * project's own event generator (realistic events of all ten types, unique event_ids):
 *   DIR/single.jsonl     N single events
 *   DIR/batch-100.jsonl  M bodies of {"batch":[…100 events…]}
 *
 * Usage: node dist/bench/make-payloads.js DIR [singles=2000] [batches=200] [batchSize=100]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEventGenerator } from '../src/events/event-generator.js';

const [dir, singlesArg = '2000', batchesArg = '200', batchSizeArg = '100'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: make-payloads DIR [singles] [batches] [batchSize]');
  process.exit(2);
}
const singles = Number(singlesArg);
const batches = Number(batchesArg);
const batchSize = Number(batchSizeArg);

mkdirSync(dir, { recursive: true });
// Separate id prefixes, so a single event and a batched one never share an event_id.
const singleGenerator = createEventGenerator({ seed: 1, idPrefix: 'bench-s' });
const batchGenerator = createEventGenerator({ seed: 2, idPrefix: 'bench-b' });

const singleLines = Array.from({ length: singles }, () => singleGenerator.nextEventJson());
const batchLines = Array.from({ length: batches }, () => batchGenerator.nextBatchJson(batchSize));
writeFileSync(join(dir, 'single.jsonl'), singleLines.join('\n') + '\n');
writeFileSync(join(dir, `batch-${batchSize}.jsonl`), batchLines.join('\n') + '\n');

const mean = (lines: string[]) => Math.round(lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0) / lines.length);
console.log(
  `payloads in ${dir}: ${singles} single events (mean ${mean(singleLines)} B), ${batches} batches of ${batchSize} (mean ${mean(batchLines)} B)`,
);
