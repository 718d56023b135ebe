/**
 * Entry of the single-file agent bundle (`dist/loadctl-agent.mjs`, built by scripts/bundle-agent.mjs):
 * the file a generator host runs with only Node. The same file is also the worker-thread script, so
 * the bundle needs no second file: on the main thread it speaks the agent protocol on stdio, in a
 * worker it runs one load loop. It takes the flags of `loadctl agent`: `--engine native|k6`, `--k6 PATH`
 * (the host's own k6; loadctl never downloads it), `--workers N`.
 */
import { parseArgs } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import { runEngineAgent } from './run-agent.js';
import type { EngineName, EngineSettings } from '../engines/engine.js';
import { ENGINE_NAMES } from '../engines/engine-registry.js';
import { runLoadWorker } from '../engines/native/load-worker.js';
import { EXIT_CODES } from '../../contract/loadctl-error.js';

if (isMainThread) {
  const log = (line: string) => process.stderr.write(`agent ${process.pid}: ${line}\n`);
  const { engine, settings } = readFlags(process.argv.slice(2));
  const outcome = await runEngineAgent(engine, { ...settings, workerScript: new URL(import.meta.url) }, { input: process.stdin, output: process.stdout, log });
  // Worker threads and sockets are closed by now; exit even if a stray handle lingers (as `loadctl agent` does).
  process.exit(outcome.exitCode);
} else {
  await runLoadWorker();
}

/** The flags, or exit 2 with what was wrong: the controller shows this agent's stderr. */
function readFlags(argv: string[]): { engine: EngineName; settings: EngineSettings } {
  try {
    const { values } = parseArgs({ args: argv, options: { engine: { type: 'string', default: 'native' }, k6: { type: 'string' }, workers: { type: 'string' } }, strict: true });
    const engine = ENGINE_NAMES.find((name) => name === values.engine);
    if (!engine) throw new Error(`--engine must be ${ENGINE_NAMES.join(' or ')}, got "${values.engine}"`);
    const workers = values.workers === undefined ? undefined : Number(values.workers);
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) throw new Error(`--workers must be a whole number ≥ 1, got "${values.workers}"`);
    return { engine, settings: { ...(values.k6 ? { k6Path: values.k6 } : {}), ...(workers ? { workers } : {}) } };
  } catch (error) {
    process.stderr.write(`loadctl-agent: ${(error as Error).message}\n  usage: node loadctl-agent.mjs [--engine native|k6] [--k6 PATH] [--workers N]\n`);
    process.exit(EXIT_CODES.usage);
  }
}
