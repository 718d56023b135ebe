/** The doctor's table for a person. */
import chalk from 'chalk';
import Table from 'cli-table3';
import type { CheckResult } from './judge-system.js';

const LABEL = { ok: chalk.green('OK'), warn: chalk.yellow('WARN'), fail: chalk.red('FAIL') } as const;

export function renderChecks(checks: CheckResult[]): string {
  // cli-table3 colours its borders itself; keep piped output free of escape codes.
  const style = process.stdout.isTTY ? {} : { head: [], border: [] };
  const table = new Table({ head: ['check', 'status', 'found', 'fix'], wordWrap: true, colWidths: [24, 8, 40, 60], style });
  for (const check of checks) table.push([check.name, LABEL[check.status], check.value, check.fix ?? '']);
  return table.toString();
}
