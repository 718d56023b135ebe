/**
 * The quick start's burst: 2,000 realistic events of all ten types (single and batched) against a
 * running target-service, then what it reports. Bounded: 2,000 events, one connection at a time.
 * Usage: node dist/scripts/smoke-burst.js http://127.0.0.1:3000
 */
import { createEventGenerator } from '../src/events/event-generator.js';

const url = process.argv[2] ?? 'http://127.0.0.1:3000';
const generator = createEventGenerator({ seed: Date.now() % 100_000 });
const statuses = new Map<number, number>();
let accepted = 0;
const started = performance.now();
for (let i = 0; i < 200; i++) {
  const body = i % 2 === 0 ? generator.nextEventJson() : generator.nextBatchJson(19);
  const response = await fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const answer = (await response.json()) as { accepted?: number };
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  accepted += answer.accepted ?? 0;
}
const seconds = (performance.now() - started) / 1000;
console.log(`sent 200 requests (${accepted} events) in ${seconds.toFixed(2)} s; answers: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')}`);
const health = await (await fetch(`${url}/health`)).json();
console.log(`health: ${JSON.stringify(health)}`);
if (statuses.size !== 1 || !statuses.has(202)) process.exitCode = 1;
