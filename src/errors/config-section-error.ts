/** A section of loadctl.config.yaml is invalid: every problem at once, each with its key path, the bad value and the fix. */
import { UsageError } from '../../contract/loadctl-error.js';

export interface ConfigProblem {
  /** `fleet.hosts[2].port`, `kubernetes.tolerations[0].effect`. */
  path: string;
  value: unknown;
  message: string;
  fix: string;
}

export class ConfigSectionError extends UsageError {
  constructor(section: string, readonly problems: ConfigProblem[], docs: string) {
    super(`invalid ${section} config:\n${problems.map(formatProblem).join('\n')}`, { hint: `see ${docs} for the ${section} section` });
  }
}

function formatProblem(problem: ConfigProblem): string {
  const shown = problem.value === undefined ? '' : ` (got ${JSON.stringify(problem.value)})`;
  return `  ${problem.path}: ${problem.message}${shown} — ${problem.fix}`;
}
