// Test double, NOT k6: stands in for k6's documented CLI + REST contract so the loadctl k6 agent can be tested without k6; never used to claim k6 was run.
/**
 * `k6-double version` prints a version line in k6's format, marked as the double's; `k6-double run
 * --paused --address H:P --execution-segment S --execution-segment-sequence Q -e K=V … script.js`
 * behaves as DESIGN.md's k6 facts say k6 does: REST API up at once, status < 4 while "VUs initialise"
 * (a simulated delay), 4 PausedBeforeRun until `PATCH paused:false`, then 7 Running while the compiled
 * script runs over the k6 stand-ins against the real target (the harness of compiled-script.test.ts),
 * handleSummary at the end, exit 0 / 99 thresholds failed / 103 stopped via REST / 105 signal /
 * 107 script exception / 255 bad flags.
 *
 * TLS: honours `insecureSkipTLSVerify`, `tlsAuth` and SSL_CERT_FILE as k6-double-tls.ts says (and
 * what it does not check); the script's `open()` reads real files, so the agent's must exist.
 *
 * Test knobs (environment): K6_DOUBLE_INIT_DELAY_MS (default 300), K6_DOUBLE_INIT_EXIT (die during
 * init with this code, as k6 does on a script exception), K6_DOUBLE_LOG (append JSON-line events:
 * spawned, tls (what it was given: k6-double-tls.ts DoubleTlsSeen, and the files open() read), status-answered,
 * paused, resumed, stopped, exit).
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { K6Metric } from '../../src/engines/k6/k6-summary.js';
import { DoubleUsageError, parseDoubleRunArgs, type DoubleRunArgs } from './k6-double-args.js';
import { planDoubleIterations, runDoubleIterations } from './k6-double-executor.js';
import { startDoubleRest, type DoubleStatus } from './k6-double-rest.js';
import { doubleClientTls, type DoubleClientTls } from './k6-double-tls.js';
import { buildK6Summary } from './k6-summary-builder.js';
import { standinState } from './k6-standins.js';
import { loadCompiledScript, type CompiledScriptModule } from './load-compiled-script.js';

/** The k6 version whose contract the double follows, marked so no result can pass for real k6's. */
export const K6_DOUBLE_VERSION = 'v1.4.0-contract-double';

const STATUS = { initVUs: 1, pausedBeforeRun: 4, started: 5, setup: 6, running: 7, teardown: 8, ended: 9 } as const;

const state: DoubleStatus & { resumed: () => void } = { status: STATUS.initVUs, paused: true, running: false, stopped: false, vus: 0, resumed: () => {} };
let interrupted = false;
let runStartedAt: number | null = null;
let setupData: unknown = undefined;

function logEvent(event: string, extra: Record<string, unknown> = {}): void {
  const file = process.env.K6_DOUBLE_LOG;
  if (file) appendFileSync(file, `${JSON.stringify({ event, at: Date.now(), pid: process.pid, ...extra })}\n`);
}

function fail(code: number, message: string): never {
  process.stderr.write(`time="${new Date().toISOString()}" level=error msg="${message}"\n`);
  logEvent('exit', { code });
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'version') {
    process.stdout.write(`k6 ${K6_DOUBLE_VERSION} (commit/contract-double, ${process.version}, ${platform()}/${arch()})\n`);
    return;
  }
  if (argv[0] !== 'run') fail(255, `unknown command "${argv[0] ?? ''}" for "k6" (this test double knows run and version)`);
  let args: DoubleRunArgs;
  try {
    args = parseDoubleRunArgs(argv.slice(1));
  } catch (error) {
    if (error instanceof DoubleUsageError) fail(255, error.message);
    throw error;
  }
  await run(args);
}

async function run(args: DoubleRunArgs): Promise<void> {
  logEvent('spawned', { args: process.argv.slice(2) });
  let script: CompiledScriptModule | null = null;
  const metrics = () => (script ? observedMetrics(script) : {});
  if (args.address) {
    const status = () => {
      logEvent('status-answered', { status: state.status });
      return state;
    };
    await startDoubleRest(args.address, { status, metrics, resume, stop: () => stop('rest') }).catch((error: Error) =>
      fail(106, `could not start the REST API on ${args.address}: ${error.message}`),
    );
  }
  // A signal during init ends k6 at once (nothing to summarise yet); later it stops gracefully, as k6 does.
  const onSignal = () => (state.status < STATUS.pausedBeforeRun ? fail(105, 'interrupted during init') : stop('signal'));
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  script = await initialise(args);
  if (args.paused) await pausedBeforeRun();
  if (!state.stopped) await execute(script, args);
  finish(script, args);
}

async function initialise(args: DoubleRunArgs): Promise<CompiledScriptModule> {
  let script: CompiledScriptModule;
  try {
    script = await loadCompiledScript(readFileSync(args.script, 'utf8'), args.env);
  } catch (error) {
    fail(107, `${(error as Error).message} hint="script exception"`);
  }
  const { tls, seen } = doubleClientTls(script.options, process.env);
  logEvent('tls', { ...seen, opened: standinState().opened });
  await startRequestThread(tls);
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.K6_DOUBLE_INIT_DELAY_MS ?? 300)));
  const initExit = process.env.K6_DOUBLE_INIT_EXIT;
  if (initExit) fail(Number(initExit), `Uncaught (in promise) Error: simulated failure during init (K6_DOUBLE_INIT_EXIT=${initExit}) hint="script exception"`);
  standinState().exec.test.options = { ...script.options, executionSegment: args.executionSegment };
  state.vus = 1;
  return script;
}

function pausedBeforeRun(): Promise<void> {
  state.status = STATUS.pausedBeforeRun;
  logEvent('paused');
  return new Promise((resolve) => {
    state.resumed = resolve;
    if (state.stopped) resolve();
  });
}

function resume(): void {
  if (!state.paused || state.stopped) return;
  state.paused = false;
  logEvent('resumed');
  state.resumed();
}

function stop(by: 'rest' | 'signal'): void {
  if (state.stopped) return;
  state.stopped = true;
  interrupted = by === 'signal';
  logEvent('stopped', { by });
  state.resumed();
}

async function execute(script: CompiledScriptModule, args: DoubleRunArgs): Promise<void> {
  runStartedAt = Date.now();
  state.status = STATUS.setup;
  state.running = true;
  setupData = script.setup();
  state.status = STATUS.running;
  await runDoubleIterations(script, setupData, planDoubleIterations(script.options.scenarios, args.executionSegment), () => state.stopped);
}

/** handleSummary's outputs written as k6 writes them, then k6's exit code for how the run ended. */
function finish(script: CompiledScriptModule, args: DoubleRunArgs): void {
  state.status = STATUS.teardown;
  let thresholdsFailed = false;
  try {
    const summary = summarise(script, setupData);
    thresholdsFailed = Object.values(summary.metrics).some((metric) => Object.values(metric.thresholds ?? {}).some((t) => !t.ok));
    writeSummaryOutputs(script.handleSummary(summary));
  } catch (error) {
    // The summary builder cannot type a threshold's metric that never got a sample (e.g. stopped before the first request).
    process.stderr.write(`k6 contract double: no summary (${(error as Error).message})\n`);
  }
  state.status = STATUS.ended;
  state.running = false;
  const code = interrupted ? 105 : state.stopped ? 103 : thresholdsFailed ? 99 : 0;
  logEvent('exit', { code, segment: args.executionSegment });
  const worker = standinState().worker;
  void (worker ? worker.terminate() : Promise.resolve()).finally(() => process.exit(code));
}

function writeSummaryOutputs(outputs: Record<string, string>): void {
  for (const [target, content] of Object.entries(outputs)) {
    if (target === 'stdout') process.stdout.write(content);
    else if (target === 'stderr') process.stderr.write(content);
    else writeFileSync(target, content);
  }
}

function summarise(script: CompiledScriptModule, setupData: unknown) {
  const { samples, checks } = standinState();
  return buildK6Summary({
    samples,
    thresholds: script.options.thresholds,
    summaryTrendStats: script.options.summaryTrendStats,
    testRunDurationMs: Math.max(1, Date.now() - (runStartedAt ?? Date.now())),
    checks,
    setupData,
  });
}

/** What k6's REST API lists: the metrics (and threshold sub-metrics) that have samples so far. */
function observedMetrics(script: CompiledScriptModule): Record<string, K6Metric> {
  if (standinState().samples.length === 0) return {};
  const metrics = summarise(script, null).metrics;
  return Object.fromEntries(Object.entries(metrics).filter(([, metric]) => Object.values(metric.values).some((value) => value !== 0)));
}

/** The stand-in's synchronous HTTP runs on the harness's service thread, here without a service of its own. */
async function startRequestThread(tls: DoubleClientTls): Promise<void> {
  const compiled = fileURLToPath(new URL('./service-thread.js', import.meta.url));
  const worker = new Worker(pathToFileURL(compiled), { workerData: { withService: false, tls } });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  standinState().worker = worker;
}

await main(process.argv.slice(2));
