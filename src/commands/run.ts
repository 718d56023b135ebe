/** `loadctl run`: one load test over N instances — split exactly, started together, merged, judged. */
import { Command, Option } from 'commander';
import { listenForInterrupt } from './interrupt.js';
import { parseDurationFlag, parseInteger } from './option-parsers.js';

export interface RunFlags {
  rate?: string;
  instances?: string;
  /** ms */
  duration?: number;
  target?: string;
  targetMetrics?: string;
  engine?: string;
  k6?: string;
  workers?: number;
  config?: string;
  out?: string;
  rawSamples?: string;
  failOn?: string;
  dryRun?: boolean;
  /** false with --no-preflight. */
  preflight?: boolean;
  color?: boolean;
  runner?: 'local' | 'ssh' | 'kubernetes';
  acceptNewHostKeys?: boolean;
  junit?: string;
  markdown?: string;
  html?: string;
}

export function runCommand(): Command {
  return new Command('run')
    .description('run a scenario over N instances: exact split, synchronized start, live view, merged results, verdict')
    .argument('[scenario]', "scenario file (default: loadctl's own scenarios/full.ts, wherever you run it)")
    .option('--rate <rps>', 'total requests/s; every sub-scenario scales in proportion (env RATE)')
    .option('--instances <n>', 'engine instances (processes) to split the load over (env INSTANCES; default 2)')
    .option('--duration <duration>', "how long the schedule runs, e.g. 30s or 2m (env DURATION)", parseDurationFlag)
    .option('--target <url>', 'base URL of the service under test (env API_URL; default http://127.0.0.1:3000)')
    .option('--target-metrics <url>', "the target's Prometheus endpoint, scraped each second; 'none' to skip (default: :9464 when the target is local)")
    .addOption(new Option('--engine <engine>', 'load engine').choices(['native', 'k6']))
    .option('--k6 <path>', 'with --engine k6: the k6 binary you installed (default: $LOADCTL_K6, then PATH); loadctl never downloads k6')
    .option('--workers <n>', 'worker threads per instance (default: one per core)', parseInteger(1))
    .addOption(new Option('--runner <runner>', "where instances run: local processes, ssh (the config's fleet.hosts; docs/ssh-fleet.md), or kubernetes (a Job; docs/kubernetes.md)").choices(['local', 'ssh', 'kubernetes']))
    .option('--accept-new-host-keys', 'with --runner ssh: record host keys known_hosts lacks (never changed ones)')
    .option('--config <path>', 'config file (default: ./loadctl.config.yaml when present)')
    .option('--out <file>', 'write the JSON run report here')
    .option('--junit <file>', 'also write a JUnit report (one testcase per threshold per sub-scenario)')
    .option('--markdown <file>', 'also write a Markdown summary (appended to $GITHUB_STEP_SUMMARY too when set)')
    .option('--html <file>', 'also write a self-contained HTML report with timeline charts')
    .option('--raw-samples <dir>', 'write every request (due, sent, latency, outcome) per instance into DIR (for oracles; large)')
    .addOption(new Option('--fail-on <level>', 'which level fails: critical (default) or warning').choices(['warning', 'critical']))
    .option('--no-preflight', 'skip the check that the target accepts a TCP connection before any instance starts')
    .option('--dry-run', 'print the split (per instance: rate, iterations, VUs, expected memory) and start nothing')
    .option('--no-color', 'plain text')
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
      const { executeRun } = await import('../run/execute-run.js');
      const interrupt = listenForInterrupt('stopping every instance');
      try {
        const result = await executeRun({
          ...(scenario ? { scenario } : {}),
          ...(flags.config ? { configPath: flags.config } : {}),
          flags: { target: flags.target, targetMetrics: flags.targetMetrics, instances: flags.instances, engine: flags.engine, duration: flags.duration, rate: flags.rate, failOn: flags.failOn },
          ...(flags.workers ? { workers: flags.workers } : {}),
          ...(flags.k6 ? { k6Path: flags.k6 } : {}),
          ...(flags.out ? { out: flags.out } : {}),
          reportFiles: { junit: flags.junit, markdown: flags.markdown, html: flags.html },
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
