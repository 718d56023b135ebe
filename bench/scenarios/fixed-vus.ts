/**
 * bench/tls-throughput.ts's scenario: scenarios/simple.ts's single events with a fixed pool of
 * BENCH_VUS connections (default 1000), all opened at prepare and never grown. With a growing pool, a
 * generator that falls behind opens connections mid-run, and over TLS each costs a handshake (~50× a
 * request's CPU): the window would measure handshakes instead of requests. `--rate` overrides the rate.
 */
import { defineScenario } from '../../src/scenario/define-scenario.js';

export default defineScenario({
  name: 'fixed-vus',
  description: 'single events of all ten types on a fixed pool of BENCH_VUS connections',
  duration: '10s',
  subScenarios: [{ name: 'single', rate: 10_000, batchSize: 1, expectStatus: 202, maxVUs: Number(process.env.BENCH_VUS ?? 1000) }],
});
