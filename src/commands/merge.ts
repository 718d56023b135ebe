/** `loadctl merge <instance-result.json…>`: merge results produced elsewhere, judge them, print and write the report. */
import { Command } from 'commander';
import { sharedOptions, type SharedFlags } from './shared-options.js';

export type MergeFlags = Pick<SharedFlags, 'out' | 'config' | 'failOn' | 'color'>;

export function mergeCommand(): Command {
  const command = new Command('merge')
    .description('merge InstanceResult files of one run (native agents, compiled k6 scripts, k6-operator pods) into one judged report')
    .argument('<results...>', 'InstanceResult JSON files, one per instance');
  for (const option of sharedOptions(['out', 'config', 'failOn', 'color'], { out: 'write the run report (JSON) here', config: 'config file with the threshold levels (default: ./loadctl.config.yaml when present)' })) {
    command.addOption(option);
  }
  return command
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
