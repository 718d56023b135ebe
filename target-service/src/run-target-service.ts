/**
 * Runs the target-service until SIGTERM/SIGINT, as one process or as a node:cluster of workers
 * (Node 20 has no SO_REUSEPORT). With workers the primary serves the metrics of all of them
 * (prom-client's AggregatorRegistry) and forwards the stop signal; each worker drains on its own.
 */
import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { AggregatorRegistry } from 'prom-client';
import { createMetricsServer, listen } from './http/listen.js';
import { readTlsCredentials } from './http/tls-credentials.js';
import { checkStorePath } from './stores/open-store.js';
import { startTargetService, type RunningTargetService } from './service.js';
import { resolveTargetServiceOptions, type TargetServiceOptions } from './service-options.js';
import { EXIT_CODES, ServiceError } from '../../contract/loadctl-error.js';
import { reportError } from '../../contract/report-error.js';

export interface RunTargetOptions extends TargetServiceOptions {
  workers: number;
}

const LISTENING = 'loadctl:target-listening';
/** This many worker deaths within CRASH_WINDOW_MS (outside a drain) is a crash loop. */
const MAX_DEATHS_IN_WINDOW = 5;
const CRASH_WINDOW_MS = 10_000;

/** Resolves with the process exit code once the service has stopped. */
export async function runTargetService(options: RunTargetOptions): Promise<number> {
  if (options.workers <= 1) return runSingle(options);
  return cluster.isPrimary ? runPrimary(options) : runWorker(options);
}

async function runSingle(options: RunTargetOptions): Promise<number> {
  const service = await startTargetService(options);
  const log = options.log ?? console.log;
  log(describe(service, service.basePath, service.metricsUrl, 1));
  return waitForStopSignal(service, log);
}

async function runWorker(options: RunTargetOptions): Promise<never> {
  let code: number;
  try {
    const service = await startTargetService({ ...options, metricsPort: null });
    AggregatorRegistry.setRegistries([service.metrics.registry]);
    new AggregatorRegistry(); // installs the worker's side of the metrics IPC
    process.send!({ type: LISTENING, url: service.url, store: service.store.description });
    code = await waitForStopSignal(service, options.log ?? console.log);
  } catch (error) {
    code = reportError(error);
  }
  // Exit explicitly: the IPC channel to the primary would keep this process alive forever, and
  // disconnecting it makes node:cluster exit with 0 whatever happened.
  process.exit(code);
}

async function waitForStopSignal(service: RunningTargetService, log: (line: string) => void): Promise<number> {
  const signal = await stopSignal(() => `still draining: ${service.buffer.size} events not yet stored (the drain ends by --drain-timeout)`, log);
  log(`${signal}: draining (no new events; flushing ${service.buffer.size} buffered)`);
  const result = await service.stop();
  if (result.complete) {
    log('drained: every accepted event is stored');
    return EXIT_CODES.ok;
  }
  return EXIT_CODES.service;
}

async function runPrimary(options: RunTargetOptions): Promise<number> {
  const resolved = resolveTargetServiceOptions(options);
  checkStorePath(resolved.store);
  // Each worker reads the files again; checking here first makes a bad one exit 2 before any fork.
  if (resolved.tls) readTlsCredentials(resolved.tls);
  const aggregator = new AggregatorRegistry();
  const metricsServer =
    resolved.metricsPort === null ? undefined : createMetricsServer(() => aggregator.clusterMetrics(), aggregator.contentType);
  if (metricsServer) await listen(metricsServer, resolved.metricsPort!, resolved.host, 'metrics');
  let stopping = false;
  const workers = new Set<Worker>();
  const fork = () => workers.add(cluster.fork());
  for (let i = 0; i < options.workers; i++) fork();

  const ready = await waitForWorkers(options.workers).catch((error: unknown) => {
    metricsServer?.close(); // else its open socket keeps a failed primary alive
    throw error;
  });
  const address = metricsServer?.address();
  const metricsUrl = address && typeof address === 'object' ? `http://${resolved.host}:${address.port}/metrics` : undefined;
  resolved.log(describe({ url: ready.url, store: { description: ready.store } }, resolved.basePath, metricsUrl, options.workers));

  let worst: number = EXIT_CODES.ok;
  let giveUp: (reason: string) => void = () => {};
  const gaveUp = new Promise<string>((resolve) => (giveUp = resolve));
  const deaths: number[] = [];
  cluster.on('exit', (worker, code, signal) => {
    workers.delete(worker);
    if (code !== 0) worst = EXIT_CODES.service;
    if (stopping) return;
    resolved.log(`worker ${worker.process.pid} died (${signal ?? `exit ${code}`}); its unflushed events are lost`);
    // A worker that dies right after every start would be re-forked forever: give up instead.
    const now = Date.now();
    deaths.push(now);
    while (deaths[0]! < now - CRASH_WINDOW_MS) deaths.shift();
    if (deaths.length >= MAX_DEATHS_IN_WINDOW) {
      worst = EXIT_CODES.service;
      return giveUp(`${deaths.length} workers died within ${CRASH_WINDOW_MS / 1000} s: not restarting them; stopping the rest`);
    }
    fork();
  });
  const signalled = stopSignal(() => `still draining ${workers.size} workers; killing this process now would kill them with their buffers`, resolved.log);
  const reason = await Promise.race([signalled.then((signal) => `${signal}: draining ${workers.size} workers`), gaveUp]);
  stopping = true;
  resolved.log(reason);
  for (const worker of workers) worker.process.kill('SIGTERM');
  while (workers.size > 0) await once(cluster, 'exit');
  metricsServer?.close();
  metricsServer?.closeAllConnections();
  return worst;
}

/** Resolves once every worker listens; rejects if one dies first (bad store, port in use) so no half-started fleet lingers. */
/**
 * Resolves on the first SIGTERM or SIGINT. The handlers stay installed: a second signal (an impatient
 * Ctrl-C, an orchestrator repeating itself) is answered with a status line instead of the default
 * action, which would kill the process mid-drain and lose what it still buffers.
 */
function stopSignal(whileDraining: () => string, log: (line: string) => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) return log(`${signal}: ${whileDraining()}`);
      received = true;
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

function waitForWorkers(count: number): Promise<{ url: string; store: string }> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const onMessage = (_worker: Worker, message: { type?: string; url: string; store: string }) => {
      if (message?.type !== LISTENING) return;
      if (++seen === count) {
        cleanup();
        resolve(message);
      }
    };
    const onExit = (worker: Worker, code: number | null) => {
      cleanup();
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      reject(new ServiceError(`worker ${worker.process.pid} exited with code ${code} before listening; see its error above`));
    };
    const cleanup = () => {
      cluster.off('message', onMessage);
      cluster.off('exit', onExit);
    };
    cluster.on('message', onMessage);
    cluster.on('exit', onExit);
  });
}

function describe(service: { url: string; store: { description: string } }, basePath: string, metricsUrl: string | undefined, processes: number): string {
  const metrics = metricsUrl ? `metrics ${metricsUrl}` : 'no metrics endpoint';
  // Said only when set, so the line a plain start prints (and scripts may parse) is unchanged.
  const events = basePath ? ` · events POST ${basePath}/v1/events` : '';
  return `target-service listening on ${service.url}${events} · ${metrics} · store ${service.store.description} · ${processes} process${processes > 1 ? 'es' : ''}`;
}
