/** `loadctl compare a.json b.json`: per-metric deltas of b against the baseline a, judged as regressions. */
import { Command, Option } from 'commander';
import { parseRegressionLimitFlag } from './option-parsers.js';
import type { FailOn } from '../verdict/classify-verdict.js';

export interface CompareFlags {
  maxRegression?: number;
  warnRegression?: number;
  failOn?: FailOn;
  color?: boolean;
}

export function compareCommand(): Command {
  return new Command('compare')
    .description('compare two run (or phase) reports: p95, p99, error rate and achieved rate deltas, judged as regressions')
    .argument('<baseline>', 'the earlier report (JSON from run/phase --out)')
    .argument('<current>', 'the report to judge against it')
    .option('--max-regression <percent>', 'a metric this much worse than the baseline is critical, e.g. 20% (default 10%)', parseRegressionLimitFlag)
    .option('--warn-regression <percent>', 'a metric this much worse is a warning (default: half of --max-regression)', parseRegressionLimitFlag)
    .addOption(new Option('--fail-on <level>', 'which level fails: critical (default) or warning').choices(['warning', 'critical']))
    .option('--no-color', 'plain text')
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
