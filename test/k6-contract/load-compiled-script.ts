// Test double, NOT k6: loads a compiled k6 script in Node with the k6 stand-ins in place of k6's modules, and runs the real target-service beside it.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build, type Plugin } from 'esbuild';
import type { K6SummaryData } from '../../src/engines/k6/k6-summary.js';
import type { K6Options } from '../../src/engines/k6/k6-options.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { open, standinState } from './k6-standins.js';

/** What a compiled script exports, as k6 would call it. */
export interface CompiledScriptModule {
  options: K6Options;
  setup(): unknown;
  default(data: unknown): void;
  handleSummary(summary: K6SummaryData): Record<string, string>;
}

/** This directory's module, compiled (dist) or source (tsx). */
function sibling(name: string): string {
  const compiled = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  return existsSync(compiled) ? compiled : compiled.replace(/\.js$/, '.ts');
}

/** Maps `k6`, `k6/http`, `k6/metrics`, `k6/execution` onto the stand-ins (an import the bundle keeps). */
function standinPlugin(): Plugin {
  const standins = pathToFileURL(sibling('k6-standins')).href;
  const modules: Record<string, string> = {
    k6: `export { check, sleep, fail } from '${standins}';`,
    'k6/http': `import { http } from '${standins}'; export default http;`,
    'k6/metrics': `export { Counter, Trend, Rate, Gauge } from '${standins}';`,
    'k6/execution': `import { exec } from '${standins}'; export default exec;`,
  };
  return {
    name: 'k6-standins',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^k6(\/.*)?$/ }, (args) => {
        if (!(args.path in modules)) throw new Error(`the compiled script imports ${args.path}, which has no stand-in`);
        return { path: args.path, namespace: 'k6-standin' };
      });
      pluginBuild.onLoad({ filter: /.*/, namespace: 'k6-standin' }, (args) => ({ contents: modules[args.path], loader: 'js' }));
      pluginBuild.onResolve({ filter: /^file:/ }, (args) => ({ path: args.path, external: true }));
    },
  };
}

/** Bundles the compiled script against the stand-ins and imports it; `env` becomes k6's `__ENV`, the stand-in's `open` k6's. */
export async function loadCompiledScript(code: string, env: Record<string, string>): Promise<CompiledScriptModule> {
  // k6's globals: the environment, and open() for the init code (the client certificate's files).
  Object.assign(globalThis, { __ENV: env, open });
  const result = await build({ stdin: { contents: code, loader: 'js' }, bundle: true, write: false, format: 'esm', platform: 'node', plugins: [standinPlugin()], logLevel: 'silent' });
  const file = join(makeTempDir('loadctl-k6-contract-'), 'script.mjs');
  writeFileSync(file, result.outputFiles[0]!.text);
  return (await import(pathToFileURL(file).href)) as CompiledScriptModule;
}

export interface ServiceThread {
  url: string;
  metricsUrl: string;
  stop(): Promise<void>;
}

/** Starts the worker that runs the real target-service and performs the stand-in's synchronous HTTP. */
export async function startServiceThread(): Promise<ServiceThread> {
  const file = sibling('service-thread');
  // Runs from dist only: the target-service's own store worker needs the compiled tree.
  const worker = new Worker(pathToFileURL(file));
  const ready = await new Promise<{ url: string; metricsUrl: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  standinState().worker = worker;
  return {
    ...ready,
    stop: async () => {
      const stopped = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage({ kind: 'stop' });
      await stopped;
      standinState().worker = null;
      await worker.terminate();
    },
  };
}
