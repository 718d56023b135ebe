/**
 * Entry of the single-file agent bundle (`dist/loadctl-agent.mjs`, built by scripts/bundle-agent.mjs):
 * the file a generator host runs with only Node. The same file is also the worker-thread script, so
 * the bundle needs no second file: on the main thread it speaks the agent protocol on stdio, in a
 * worker it runs one load loop. It takes the flags of `loadctl agent`: `--engine native|k6`, `--k6 PATH`
 * (the host's own k6; loadctl never downloads it), `--workers N`.
 */
import { parseArgs } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import { runEngineAgent, type EngineAgentFlags } from './run-engine-agent.js';
import { runLoadWorker } from '../engines/native/load-worker.js';
import { EXIT_CODES } from '../errors/loadctl-error.js';

if (isMainThread) {
  const log = (line: string) => process.stderr.write(`agent ${process.pid}: ${line}\n`);
  const flags = readFlags(process.argv.slice(2));
  await runEngineAgent(flags, { input: process.stdin, output: process.stdout, log }, { workerScript: new URL(import.meta.url) });
  // Worker threads and sockets are closed by now; exit even if a stray handle lingers (as `loadctl agent` does).
  process.exit(process.exitCode ?? 0);
} else {
  await runLoadWorker();
}

/** The flags, or exit 2 with what was wrong: the controller shows this agent's stderr. */
function readFlags(argv: string[]): EngineAgentFlags {
  try {
    const { values } = parseArgs({ args: argv, options: { engine: { type: 'string', default: 'native' }, k6: { type: 'string' }, workers: { type: 'string' } }, strict: true });
    if (values.engine !== 'native' && values.engine !== 'rust' && values.engine !== 'k6') throw new Error(`--engine must be native, rust or k6, got "${values.engine}"`);
    const workers = values.workers === undefined ? undefined : Number(values.workers);
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) throw new Error(`--workers must be a whole number ≥ 1, got "${values.workers}"`);
    return { engine: values.engine, ...(values.k6 ? { k6: values.k6 } : {}), ...(workers ? { workers } : {}) };
  } catch (error) {
    process.stderr.write(`loadctl-agent: ${(error as Error).message}\n  usage: node loadctl-agent.mjs [--engine native|k6] [--k6 PATH] [--workers N]\n`);
    process.exit(EXIT_CODES.usage);
  }
}
