/**
 * What the native engine's instrumentation costs per request, measured without the network: a worker's
 * WorkerRecorder is fed the calls the load loop makes per request (`sent`, `ended`, a progress take every
 * 200 ms) for a simulated 30K req/s run, with classification + HDR recording ('full') and with recording
 * reduced to counting ('count', the bench-only LOADCTL_BENCH_INSTRUMENTATION switch), alternating rounds.
 * The engine-level A/B of the same switch (bench/engine-throughput.ts, part 3) swings by ±2 µs per request
 * from run to run — more than the whole effect — so this isolates it; the share is of the engine's CPU
 * per request as part 1 of engine-throughput measures it (pass it in µs).
 *
 * Usage: npx tsc -p . && flock /tmp/loadctl-bench.lock node dist/bench/engine-instrumentation.js [engine µs per request]
 */
import { WorkerRecorder, type Instrumentation } from '../src/engines/native/worker-recorder.js';

const ENGINE_US_PER_REQUEST = Number(process.argv[2] ?? 15.6);
const REQUESTS = 3_000_000;
const RATE = 30_000;
const ROUNDS = 5;

/** Latencies like a loopback run: mostly 0.2–2 ms, a tail to ~200 ms (fixed seed, same for every round). */
function latencies(count: number): Float64Array {
  const values = new Float64Array(count);
  let seed = 42;
  for (let i = 0; i < count; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const u = seed / 2_147_483_648;
    values[i] = 0.2 + (u < 0.99 ? u * 2 : (u - 0.99) * 20_000);
  }
  return values;
}

/** CPU ns per request of the recorder calls one request makes (plus its share of the progress takes). */
function measure(instrumentation: Instrumentation, latencyMs: Float64Array): number {
  const recorder = new WorkerRecorder(['single'], instrumentation);
  const startAt = 1_800_000_000_000;
  recorder.startAt = startAt;
  const interval = 1000 / RATE;
  let nextTake = startAt + 200;
  const before = process.cpuUsage();
  for (let i = 0; i < REQUESTS; i++) {
    const dueAt = startAt + i * interval;
    const sentAt = dueAt + 0.05;
    recorder.sent('single', dueAt, sentAt, 10, 10);
    const latency = latencyMs[i]!;
    recorder.ended('single', '2xx', sentAt + latency, latency, 1, { sent: 100, received: 50 });
    if (sentAt >= nextTake) {
      recorder.takeSeconds(recorder.secondOf(sentAt));
      nextTake += 200;
    }
  }
  recorder.takeSeconds(Infinity);
  recorder.overall.figures();
  const used = process.cpuUsage(before);
  return ((used.user + used.system) * 1000) / REQUESTS;
}

const latencyMs = latencies(REQUESTS);
measure('full', latencyMs); // warm-up: JIT
const results: Record<Instrumentation, number[]> = { full: [], count: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of (round % 2 === 0 ? ['full', 'count'] : ['count', 'full']) as Instrumentation[]) results[mode].push(measure(mode, latencyMs));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const [full, count] = [median(results.full), median(results.count)];
console.log(`recorder per request (median of ${ROUNDS}, ${REQUESTS / 1e6}M requests each): full ${full.toFixed(0)} ns, counting only ${count.toFixed(0)} ns`);
console.log(`  rounds: full ${results.full.map((v) => v.toFixed(0)).join(' ')} / counting ${results.count.map((v) => v.toFixed(0)).join(' ')} ns`);
const costNs = full - count;
const share = costNs / (ENGINE_US_PER_REQUEST * 1000);
console.log(`instrumentation (HDR recording) ${costNs.toFixed(0)} ns per request = ${(share * 100).toFixed(1)} % of the engine's ${ENGINE_US_PER_REQUEST} µs per request (goal ≤ 3 %: ${share <= 0.03 ? 'MET' : 'MISSED'})`);
console.log(`whole recorder incl. classification and counting: ${((full / (ENGINE_US_PER_REQUEST * 1000)) * 100).toFixed(1)} % of it`);
