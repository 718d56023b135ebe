/** A config file, environment variable or flag value loadctl cannot use: a usage error, never a crash. */
import { EXIT_CODES, LoadctlError } from '../../contract/loadctl-error.js';

export class ConfigError extends LoadctlError {
  override readonly code: string = 'CONFIG';
  override readonly exitCode = EXIT_CODES.usage;
}

/** One problem in a config file: where, which key, what was wrong, how to fix it. */
export interface ConfigProblem {
  line: number | null;
  column: number | null;
  /** `thresholds.p95Ms.warning`; empty for the document itself. */
  keyPath: string;
  message: string;
  fix: string;
}

/** All problems of one file as one error, one line each: `file:line:col key: message — fix: …`. */
export function configErrorOf(file: string, problems: readonly ConfigProblem[]): ConfigError {
  const sorted = [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const lines = sorted.map((p) => {
    const where = p.line === null ? file : `${file}:${p.line}${p.column === null ? '' : `:${p.column}`}`;
    return `  ${where} ${p.keyPath || '(document)'}: ${p.message} — fix: ${p.fix}`;
  });
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
  return new ConfigError(`${file} has ${count}:\n${lines.join('\n')}`, {
    hint: 'correct the keys above; loadctl.config.yaml at the repository root is a commented example',
  });
}
