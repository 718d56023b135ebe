/**
 * Loads a scenario file: bundles it with esbuild (TypeScript stripped, imports inlined, `'loadctl'`
 * mapped to the DSL), evaluates the bundle, validates its default export. Every way a file can be wrong
 * — missing, a syntax error, a throw while evaluating, an invalid definition — is a UsageError naming
 * the file (and line), so the CLI prints no stack trace.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildFailure, type Message } from 'esbuild';
import { UsageError } from '../../contract/loadctl-error.js';
import type { ScenarioDefinition } from './define-scenario.js';
import { shippedScenarioPath } from './shipped-scenarios.js';
import { validateDefinition } from './validate-definition.js';

export interface LoadedScenario {
  definition: ScenarioDefinition;
  /** The file as the user named it, relative to the working directory: `scenarios/full.ts`. */
  source: string;
  /** Absolute path. */
  path: string;
}

/** Bundles, evaluates and validates one scenario file. */
export async function loadScenario(file: string, cwd: string = process.cwd()): Promise<LoadedScenario> {
  const path = resolve(cwd, file);
  const source = displayPath(path, cwd);
  if (!existsSync(path)) {
    const shipped = dirname(shippedScenarioPath('simple.ts'));
    throw new UsageError(`scenario file ${source} does not exist`, { hint: `a scenario path is relative to the working directory (${cwd}); loadctl's own are ${shipped}/simple.ts and full.ts` });
  }
  if (statSync(path).isDirectory()) {
    throw new UsageError(`scenario ${source} is a directory, not a file`, { hint: 'pass one scenario file (.ts), e.g. scenarios/simple.ts' });
  }
  const code = await bundleScenario(path, source, cwd);
  const exported = await evaluateBundle(code, source);
  return { definition: validateDefinition(exported, source), source, path };
}

/** Relative when the file is under the working directory (`scenarios/full.ts`), else absolute. */
function displayPath(path: string, cwd: string): string {
  const inside = relative(cwd, path);
  return inside && !inside.startsWith('..') ? inside : path;
}

/** The DSL module, as source (under tsx) or compiled (dist): the target of the `'loadctl'` import. */
export function dslModulePath(): string {
  const compiled = fileURLToPath(new URL('./define-scenario.js', import.meta.url));
  return existsSync(compiled) ? compiled : compiled.replace(/\.js$/, '.ts');
}

async function bundleScenario(path: string, source: string, cwd: string): Promise<string> {
  try {
    const result = await build({
      entryPoints: [path],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      alias: { loadctl: dslModulePath() },
      absWorkingDir: resolve(cwd),
      logLevel: 'silent',
    });
    return result.outputFiles[0]!.text;
  } catch (error) {
    const messages = (error as Partial<BuildFailure>).errors;
    if (!messages?.length) throw error;
    throw new UsageError(`${source} could not be compiled:\n${messages.slice(0, 5).map((message) => formatMessage(message, cwd)).join('\n')}`, {
      hint: 'fix the file (`npx tsc --noEmit` shows type errors too), then run `loadctl compile <file> --check`',
      cause: error,
    });
  }
}

/** `scenarios/x.ts:12:4: Expected "}" but found ")"` — the line a person jumps to. */
function formatMessage(message: Message, cwd: string): string {
  const at = message.location;
  const where = at ? `${displayPath(resolve(cwd, at.file), cwd)}:${at.line}:${at.column + 1}: ` : '';
  return `  ${where}${message.text}${at?.lineText ? `\n    ${at.lineText.trim()}` : ''}`;
}

async function evaluateBundle(code: string, source: string): Promise<unknown> {
  let module: { default?: unknown };
  try {
    module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as { default?: unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${source} threw while loading: ${message}`, { hint: 'a scenario file should only build and export its definition', cause: error });
  }
  if (module.default === undefined) {
    throw new UsageError(`${source} has no default export`, { hint: 'end the file with `export default defineScenario({ … })`' });
  }
  return module.default;
}
