/** `loadctl gate report.json`: judge a saved run or phase report again, optionally against a baseline; exit with the verdict's code. */
import { Command, Option } from 'commander';
import { parseRegressionLimitFlag } from './option-parsers.js';
import type { FailOn } from '../verdict/classify-verdict.js';

export interface GateFlags {
  failOn?: FailOn;
  baseline?: string;
  maxRegression?: number;
  warnRegression?: number;
  config?: string;
  junit?: string;
  markdown?: string;
  html?: string;
  color?: boolean;
}

export function gateCommand(): Command {
  return new Command('gate')
    .description('CI gate: judge a saved run or phase report again (same verdict as run), print the table, exit with its code')
    .argument('<report>', 'report JSON written by run/phase --out')
    .addOption(new Option('--fail-on <level>', 'which level fails: critical (default) or warning').choices(['warning', 'critical']))
    .option('--baseline <file>', 'an earlier report: p95, p99, error rate and achieved rate regressions fold into the verdict')
    .option('--max-regression <percent>', 'with --baseline: this much worse is critical, e.g. 20% (default 10%)', parseRegressionLimitFlag)
    .option('--warn-regression <percent>', 'with --baseline: this much worse is a warning (default: half of --max-regression)', parseRegressionLimitFlag)
    .option('--config <path>', "judge with this config's levels instead of the report's own (no config file is read without it)")
    .option('--junit <file>', 'write a JUnit XML report (one testcase per threshold per sub-scenario)')
    .option('--markdown <file>', 'write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)')
    .option('--html <file>', 'write a self-contained HTML report with timeline charts')
    .option('--no-color', 'plain text')
    .addHelpText(
      'after',
      `
Examples:
  $ loadctl gate report.json
  $ loadctl gate report.json --fail-on warning --junit junit.xml --markdown summary.md --html report.html
  $ loadctl gate pr.json --baseline main.json --max-regression 10%

Exit codes: 0 good (or warning without --fail-on warning), 10 critical (or a critical regression),
11 warning (with --fail-on warning), 12 generator-limited, 13 degraded, 14 the report is of an
interrupted run (Ctrl-C; not critical): its verdict covers only the seconds that ran, so it never
passes, 2 bad input. See docs/ci.md.`,
    )
    .action(async (file: string, flags: GateFlags) => {
      if ((flags.maxRegression !== undefined || flags.warnRegression !== undefined) && !flags.baseline) {
        const { UsageError } = await import('../../contract/loadctl-error.js');
        throw new UsageError('--max-regression and --warn-regression need --baseline', { hint: 'loadctl gate report.json --baseline main.json --max-regression 10%' });
      }
      const { runGate } = await import('../cores/run-gate.js');
      const result = await runGate({
        file,
        configPath: flags.config,
        failOn: flags.failOn,
        baseline: flags.baseline,
        maxRegression: flags.maxRegression,
        warnRegression: flags.warnRegression,
        reports: { junit: flags.junit, markdown: flags.markdown, html: flags.html },
        color: flags.color !== false && process.stdout.isTTY === true,
      });
      console.log(result.text);
      process.exitCode = result.exitCode;
    });
}
