/** `loadctl compare a.json b.json`: per-metric deltas of b against the baseline a, judged as regressions. */
import { Command } from 'commander';
import { sharedOptions, type SharedFlags } from './shared-options.js';

export type CompareFlags = Pick<SharedFlags, 'maxRegression' | 'warnRegression' | 'failOn' | 'color'>;

export function compareCommand(): Command {
  const command = new Command('compare')
    .description('compare two run (or phase) reports: p95, p99, error rate and achieved rate deltas, judged as regressions')
    .argument('<baseline>', 'the earlier report (JSON from run/phase --out)')
    .argument('<current>', 'the report to judge against it');
  for (const option of sharedOptions(['maxRegression', 'warnRegression', 'failOn', 'color'])) command.addOption(option);
  return command
    .addHelpText(
      'after',
      `
Examples:
  $ loadctl compare main.json pr.json
  $ loadctl compare main.json pr.json --max-regression 20% --fail-on warning

Exit codes: 0 no regression beyond the limits (or a load that cannot be trusted), 10 critical regression,
11 warning regression (with --fail-on warning), 2 bad input. Regressions are measured in docs/ci.md.`,
    )
    .action(async (baseline: string, current: string, flags: CompareFlags) => {
      const { runCompare } = await import('../cores/run-compare.js');
      const result = await runCompare({ baseline, current, maxRegression: flags.maxRegression, warnRegression: flags.warnRegression, failOn: flags.failOn, color: flags.color !== false && process.stdout.isTTY === true });
      console.log(result.text);
      process.exitCode = result.exitCode;
    });
}
