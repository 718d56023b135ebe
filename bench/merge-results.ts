/**
 * Merge cost: `mergeInstanceResults` over 1,000 InstanceResults (issue 9 goal: ≤ 0.5 s). Native-shaped
 * results (HDR histograms for overall and 3 sub-scenarios, plus a 30-second timeline with a histogram
 * per second), then k6-shaped ones (205-point quantile grids, no per-second histograms). Prints the
 * median of 5 rounds; never compares against a stored number.
 *
 *   flock /tmp/loadctl-bench.lock node --import tsx bench/merge-results.ts [instances] [seconds]
 */
import { performance } from 'node:perf_hooks';
import { mergeInstanceResults } from '../src/merge/merge-results.js';
import type { InstanceResult, TimelineSecond } from '../src/protocol/instance-result.js';
import { instanceResultOf, latencyOf, logNormalSamples } from '../test/helpers/instance-results.js';

const INSTANCES = Number(process.argv[2] ?? 1000);
const SECONDS = Number(process.argv[3] ?? 30);
const ROUNDS = 5;
const TEMPLATES = 8;

/** A few distinct instances, reused by index: merge cost does not depend on the values' variety. */
function fleetOf(kind: 'hdr' | 'quantiles'): InstanceResult[] {
  const templates = Array.from({ length: TEMPLATES }, (_, t) => {
    const result = instanceResultOf({
      index: 0,
      count: INSTANCES,
      subScenarios: {
        single: { latenciesMs: logNormalSamples(5000, 20 + t, t + 1), kind },
        batch10: { latenciesMs: logNormalSamples(2000, 40 + t, t + 100), kind, batchSize: 10 },
        batch100: { latenciesMs: logNormalSamples(1000, 120 + t, t + 200), kind, batchSize: 100 },
      },
    });
    if (kind === 'hdr') result.timeline = timelineOf(t);
    return result;
  });
  return Array.from({ length: INSTANCES }, (_, index) => ({ ...templates[index % TEMPLATES]!, instance: { index, count: INSTANCES }, host: `gen-${index}` }));
}

function timelineOf(seed: number): TimelineSecond[] {
  return Array.from({ length: SECONDS }, (_, second) => {
    const summary = latencyOf(logNormalSamples(300, 20, seed * 1000 + second), 'hdr');
    return {
      second,
      requests: 300,
      outcomes: { '2xx': 300, '429': 0, '503': 0, '4xx': 0, '5xx': 0, timeout: 0, refused: 0, tls: 0, network: 0 },
      droppedIterations: 0,
      p50Ms: summary.p50Ms,
      p95Ms: summary.p95Ms,
      p99Ms: summary.p99Ms,
      latency: summary.distribution,
      cpuPercent: 40,
    };
  });
}

function measure(name: string, results: InstanceResult[]): void {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let requests = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    requests = mergeInstanceResults(results).overall.requests;
    const used = process.cpuUsage(cpu);
    times.push(performance.now() - start);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
  // CPU time beside wall time: on a shared machine the wall clock also counts other processes' turns.
  console.log(
    `${name}: ${INSTANCES} results, ${requests.toLocaleString('en-US')} requests — median ${median(times).toFixed(0)} ms wall ` +
      `(min ${Math.min(...times).toFixed(0)}), ${median(cpuTimes).toFixed(0)} ms CPU, over ${ROUNDS} rounds; goal ≤ 500 ms`,
  );
}

measure(`native (HDR, 3 sub-scenarios, ${SECONDS}-s timeline)`, fleetOf('hdr'));
measure('native without timeline', fleetOf('hdr').map((r) => ({ ...r, timeline: [] })));
measure('k6 (205-point quantile grids, 3 sub-scenarios)', fleetOf('quantiles'));
