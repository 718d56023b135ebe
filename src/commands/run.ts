/** `loadctl run`: one load test over N instances — split exactly, started together, merged, judged. */
import { Command } from 'commander';
import { listenForInterrupt } from './interrupt.js';
import { configFlagsOf, reportFilesOf, sharedOptions, type SharedFlags } from './shared-options.js';

export type RunFlags = SharedFlags & { rawSamples?: string };

export function runCommand(): Command {
  const command = new Command('run')
    .description('run a scenario over N instances: exact split, synchronized start, live view, merged results, verdict')
    .argument('[scenario]', "scenario file (default: loadctl's own scenarios/full.ts, wherever you run it)");
  for (const option of sharedOptions(
    ['rate', 'instances', 'duration', 'target', 'ca', 'cert', 'key', 'insecure', 'targetMetrics', 'engine', 'k6', 'workers', 'runner', 'acceptNewHostKeys', 'config', 'out', 'junit', 'markdown', 'html'],
    { out: 'write the JSON run report here (checked before anything runs)' },
  )) {
    command.addOption(option);
  }
  command.option('--raw-samples <dir>', 'write every request (due, sent, latency, outcome) per instance into DIR (for oracles; large)');
  for (const option of sharedOptions(['failOn', 'preflight', 'dryRun', 'color'], { dryRun: 'print the split (per instance: rate, iterations, VUs, expected memory) and start nothing' })) {
    command.addOption(option);
  }
  return command
    .addHelpText(
      'after',
      `
Examples:
  $ loadctl run scenarios/simple.ts --rate 1000 --instances 2 --duration 30s
  $ loadctl run --rate 1000000 --instances 10 --dry-run         # the full scenario's split, nothing started
  $ INSTANCES=4 RATE=2000 API_URL=http://127.0.0.1:3000 loadctl run scenarios/simple.ts --out report.json

Precedence: defaults < loadctl.config.yaml < env (INSTANCES, DURATION, API_URL, RATE) < flags.
Durations, in flags, DURATION and the file alike: 500ms, 30s, 2m, 1h30m, or a bare number of seconds.
Ctrl-C stops every instance within seconds and still prints (and writes) the partial report, marked
interrupted: its rates are over the seconds that ran, and \`loadctl gate\` on it exits 14, never 0.
Exit codes: 0 good, 10 critical, 11 warning (with --fail-on warning), 12 generator-limited,
13 degraded (an instance lost), 2 bad input, 5 the fleet could not start (or the target refused the
preflight connection: nothing listens at --target), 130 interrupted.`,
    )
    .action(async (scenario: string | undefined, flags: RunFlags) => {
      const { executeRun } = await import('../cores/execute-run.js');
      const interrupt = listenForInterrupt('stopping every instance');
      try {
        const result = await executeRun({
          ...(scenario ? { scenario } : {}),
          ...(flags.config ? { configPath: flags.config } : {}),
          flags: configFlagsOf(flags),
          ...(flags.workers ? { workers: flags.workers } : {}),
          ...(flags.k6 ? { k6Path: flags.k6 } : {}),
          reportFiles: reportFilesOf(flags),
          ...(flags.runner ? { runnerKind: flags.runner } : {}),
          acceptNewHostKeys: flags.acceptNewHostKeys === true,
          ...(flags.rawSamples ? { rawSamplesDir: flags.rawSamples } : {}),
          dryRun: flags.dryRun === true,
          preflight: flags.preflight !== false,
          color: flags.color !== false && process.stdout.isTTY === true,
          signal: interrupt.signal,
        });
        console.log(result.text);
        process.exitCode = result.exitCode;
      } finally {
        interrupt.dispose();
      }
    });
}
