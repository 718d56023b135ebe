/**
 * Entry of the single-file agent bundle (`dist/loadctl-agent.mjs`, built by scripts/bundle-agent.mjs):
 * the file a generator host runs with only Node. The same file is also the worker-thread script, so
 * the bundle needs no second file: on the main thread it speaks the agent protocol on stdio, in a
 * worker it runs one load loop.
 */
import { isMainThread } from 'node:worker_threads';
import { runAgent } from './run-agent.js';
import { runLoadWorker } from '../engines/native/load-worker.js';

if (isMainThread) {
  const log = (line: string) => process.stderr.write(`agent ${process.pid}: ${line}\n`);
  await runAgent({ input: process.stdin, output: process.stdout, log }, { workerScript: new URL(import.meta.url) });
  // Worker threads and sockets are closed by now; exit even if a stray handle lingers (as `loadctl agent` does).
  process.exit(process.exitCode ?? 0);
} else {
  await runLoadWorker();
}
