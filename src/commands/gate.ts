/** `loadctl gate report.json`: judge a saved run or phase report again, optionally against a baseline; exit with the verdict's code. */
import { Command } from 'commander';
import { sharedOptions, type SharedFlags } from './shared-options.js';

export type GateFlags = Pick<SharedFlags, 'failOn' | 'maxRegression' | 'warnRegression' | 'config' | 'junit' | 'markdown' | 'html' | 'color'> & { baseline?: string };

export function gateCommand(): Command {
  const command = new Command('gate')
    .description('CI gate: judge a saved run or phase report again (same verdict as run), print the table, exit with its code')
    .argument('<report>', 'report JSON written by run/phase --out');
  command.addOption(sharedOptions(['failOn'])[0]!);
  command.option('--baseline <file>', 'an earlier report: p95, p99, error rate and achieved rate regressions fold into the verdict');
  for (const option of sharedOptions(['maxRegression', 'warnRegression', 'config', 'junit', 'markdown', 'html', 'color'], {
    maxRegression: 'with --baseline: this much worse is critical, e.g. 20% (default 10%)',
    warnRegression: 'with --baseline: this much worse is a warning (default: half of --max-regression)',
    config: "judge with this config's levels instead of the report's own (no config file is read without it)",
    junit: 'write a JUnit XML report (one testcase per threshold per sub-scenario)',
    markdown: 'write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)',
    html: 'write a self-contained HTML report with timeline charts',
  })) {
    command.addOption(option);
  }
  return command
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
