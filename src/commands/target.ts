/** `loadctl target start`: runs the bundled reference ingestion service. */
import { Command } from 'commander';
import { parseInteger, parsePort } from './option-parsers.js';
import { TARGET_DEFAULTS } from '../../target-service/defaults.js';
import { DEFAULT_LIMITS } from '../../contract/event-schema.js';

export function targetCommand(): Command {
  const target = new Command('target').description('the bundled reference event-ingestion service (the thing loadctl tests)');
  target
    .command('start')
    .description('start the target-service; SIGTERM/Ctrl-C drains it (accepted events are stored, or spilled to a file if the store cannot take them in --drain-timeout)')
    .option('--host <host>', 'address to listen on', TARGET_DEFAULTS.host)
    .option('--port <port>', 'HTTP port for POST /v1/events and GET /health (0 = any free port)', parsePort, TARGET_DEFAULTS.port)
    .option('--metrics-port <port>', 'Prometheus /metrics port (0 = any free port)', parsePort, TARGET_DEFAULTS.metricsPort)
    .option('--workers <n>', 'processes sharing the port (node:cluster); metrics cover all of them', parseInteger(1), 1)
    .option('--store <dir|uri>', 'a directory for the embedded SQLite store, or a mongodb:// URI', TARGET_DEFAULTS.store)
    .option('--buffer-capacity <events>', 'events held in memory between 202 and the store', parseInteger(1), TARGET_DEFAULTS.bufferCapacity)
    .option('--high-water-mark <events>', 'buffer fill above which requests get 429 (default 80 % of capacity)', parseInteger(1))
    .option('--flush-batch-size <events>', 'events per store write', parseInteger(1), TARGET_DEFAULTS.flush.batchSize)
    .option('--flush-concurrency <n>', 'store writes in flight at once', parseInteger(1), TARGET_DEFAULTS.flush.concurrency)
    .option('--flush-interval <ms>', 'longest wait before a partial batch is written', parseInteger(1), TARGET_DEFAULTS.flush.intervalMs)
    .option('--max-event-bytes <bytes>', 'size limit of one event (413 above)', parseInteger(1), DEFAULT_LIMITS.maxEventBytes)
    .option('--max-request-bytes <bytes>', 'size limit of one request body (413 above)', parseInteger(1), DEFAULT_LIMITS.maxRequestBytes)
    .option('--max-batch-events <n>', 'events per batch request (413 above)', parseInteger(1), DEFAULT_LIMITS.maxBatchEvents)
    .option('--max-rps <n>', 'capacity knob for testing load tools: answer 503 above N requests/s per process (0 = off)', parseInteger(0), 0)
    .option('--drain-timeout <ms>', 'longest SIGTERM drain; what is left is spilled to a file, never dropped', parseInteger(1), TARGET_DEFAULTS.drainTimeoutMs)
    .option('--store-delay-ms <ms>', 'test knob: slow every store write by this much', parseInteger(0), 0)
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (chain); needs --tls-key')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert')
    .option('--tls-client-ca <file>', 'require client certificates signed by this PEM CA (mTLS); needs --tls-cert and --tls-key')
    .option('--base-path <path>', 'serve the events route under this prefix: /prefix → POST /prefix/v1/events (GET /health stays at /health)')
    .addHelpText(
      'after',
      `
Examples:
  $ loadctl target start                                  # embedded SQLite store in .loadctl/target-store
  $ loadctl target start --workers 2 --port 3000
  $ loadctl target start --store mongodb://127.0.0.1:27017/loadctl
  $ loadctl target start --max-rps 5000                   # place a breaking point at 5K RPS
  $ loadctl target start --tls-cert server.pem --tls-key server.key [--tls-client-ca ca.pem]   # HTTPS [+ mTLS]
  $ loadctl target start --base-path /ingest              # POST /ingest/v1/events

API: POST /v1/events (one event, {"batch":[...]} or an array) → 202 {"accepted":n}; contract in target-service/openapi.yaml`,
    )
    .action(async (flags: TargetStartFlags) => {
      const { runTargetService } = await import('../../target-service/index.js');
      process.exitCode = await runTargetService({
        host: flags.host,
        port: flags.port,
        metricsPort: flags.metricsPort,
        workers: flags.workers,
        store: flags.store,
        bufferCapacity: flags.bufferCapacity,
        highWaterMark: flags.highWaterMark,
        flush: { batchSize: flags.flushBatchSize, concurrency: flags.flushConcurrency, intervalMs: flags.flushInterval },
        limits: { maxEventBytes: flags.maxEventBytes, maxRequestBytes: flags.maxRequestBytes, maxBatchEvents: flags.maxBatchEvents },
        maxRps: flags.maxRps,
        drainTimeoutMs: flags.drainTimeout,
        storeDelayMs: flags.storeDelayMs,
        tlsCert: flags.tlsCert,
        tlsKey: flags.tlsKey,
        tlsClientCa: flags.tlsClientCa,
        basePath: flags.basePath,
        log: (line) => console.log(line),
      });
    });
  target
    .command('openapi')
    .description('print the API contract (OpenAPI 3.1, YAML) — the same schema the service validates with')
    .action(async () => {
      const [{ buildOpenApiDocument }, { stringify }] = await Promise.all([import('../../target-service/index.js'), import('yaml')]);
      process.stdout.write(stringify(buildOpenApiDocument(), { aliasDuplicateObjects: false }));
    });
  return target;
}

interface TargetStartFlags {
  host: string;
  port: number;
  metricsPort: number;
  workers: number;
  store: string;
  bufferCapacity: number;
  highWaterMark?: number;
  flushBatchSize: number;
  flushConcurrency: number;
  flushInterval: number;
  maxEventBytes: number;
  maxRequestBytes: number;
  maxBatchEvents: number;
  maxRps: number;
  drainTimeout: number;
  storeDelayMs: number;
  tlsCert?: string;
  tlsKey?: string;
  tlsClientCa?: string;
  basePath?: string;
}
