/** `loadctl merge <instance-result.json…>`: merge results produced elsewhere, judge them, print and write the report. */
import { Command, Option } from 'commander';

export interface MergeFlags {
  out?: string;
  config?: string;
  failOn?: string;
  color?: boolean;
}

export function mergeCommand(): Command {
  return new Command('merge')
    .description('merge InstanceResult files of one run (native agents, compiled k6 scripts, k6-operator pods) into one judged report')
    .argument('<results...>', 'InstanceResult JSON files, one per instance')
    .option('--out <file>', 'write the run report (JSON) here')
    .option('--config <path>', 'config file with the threshold levels (default: ./loadctl.config.yaml when present)')
    .addOption(new Option('--fail-on <level>', 'which level fails: critical (default) or warning').choices(['warning', 'critical']))
    .option('--no-color', 'plain text')
    .addHelpText(
      'after',
      `
Examples:
  $ loadctl merge results/instance-*.json --out report.json
  $ loadctl merge pod-0.json pod-1.json pod-2.json --fail-on warning

Exit codes: 0 good, 10 critical, 11 warning (with --fail-on warning), 12 generator-limited, 13 degraded, 2 bad input.`,
    )
    .action(async (files: string[], flags: MergeFlags) => {
      const { runMerge } = await import('../cores/run-merge.js');
      const result = await runMerge({ files, out: flags.out, configPath: flags.config, failOn: flags.failOn, color: flags.color !== false && process.stdout.isTTY === true });
      console.log(result.text);
      process.exitCode = result.exitCode;
    });
}
