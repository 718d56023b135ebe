/** `loadctl phase validate|stress|breakpoint|distributed`: the seed's testing strategy, automated. */
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { listenForInterrupt } from './interrupt.js';
import { parseDurationFlag, parseInteger, parsePercentageFlag } from './option-parsers.js';

export interface PhaseFlags {
  rate?: number;
  duration?: number;
  from?: number;
  precision?: number;
  stepDuration?: number;
  maxDuration?: number;
  maxSteps?: number;
  coolDown?: number;
  instances?: string;
  target?: string;
  targetMetrics?: string;
  workers?: number;
  config?: string;
  out?: string;
  failOn?: string;
  color?: boolean;
  /** false with --no-preflight. */
  preflight?: boolean;
  runner?: 'local' | 'ssh' | 'kubernetes';
  acceptNewHostKeys?: boolean;
  junit?: string;
  markdown?: string;
  html?: string;
}

export function phaseCommand(): Command {
  return new Command('phase')
    .description("the seed's testing strategy: validate (1K RPS), stress (10K RPS), breakpoint (double, then bisect), distributed")
    .addArgument(new Argument('<phase>', 'which phase').choices(['validate', 'stress', 'breakpoint', 'distributed']))
    .argument('[scenario]', "scenario file (default: loadctl's own scenarios/simple.ts for validate/stress, scenarios/full.ts otherwise)")
    .option('--rate <rps>', 'validate/stress/distributed: the total rate (default from loadctl.config.yaml phases)', positiveNumber)
    .option('--duration <duration>', 'validate/stress/distributed: how long, e.g. 30s', parseDurationFlag)
    .option('--from <rps>', 'breakpoint: the first step\'s rate (default 50000)', positiveNumber)
    .option('--precision <percent>', 'breakpoint: stop when last good and first critical are within this, e.g. 5% (default 10%)', parsePercentageFlag({ min: 0, max: 1, exclusive: true }))
    .option('--step-duration <duration>', 'breakpoint: how long each step runs (default 30s)', parseDurationFlag)
    .option('--max-duration <duration>', 'breakpoint: bound on the whole search, e.g. 15m', parseDurationFlag)
    .option('--max-steps <n>', 'breakpoint: bound on the number of steps (default 12)', parseInteger(1))
    .option('--cool-down <duration>', 'breakpoint: longest wait between steps for the target to drain its buffer (default 30s)', parseDurationFlag)
    .option('--instances <n>', 'engine instances (env INSTANCES)')
    .option('--target <url>', 'base URL of the service under test (env API_URL)')
    .option('--target-metrics <url>', "the target's Prometheus endpoint; 'none' to skip")
    .option('--workers <n>', 'worker threads per instance', parseInteger(1))
    .addOption(new Option('--runner <runner>', "where instances run: local processes, ssh (the config's fleet.hosts; docs/ssh-fleet.md), or kubernetes (a Job; docs/kubernetes.md)").choices(['local', 'ssh', 'kubernetes']))
    .option('--accept-new-host-keys', 'with --runner ssh: record host keys known_hosts lacks (never changed ones)')
    .option('--config <path>', 'config file (default: ./loadctl.config.yaml when present)')
    .option('--out <file>', 'write the JSON phase report (every step\'s run report, breakingPoint) here')
    .option('--junit <file>', 'also write a JUnit report')
    .option('--markdown <file>', 'also write a Markdown summary (appended to $GITHUB_STEP_SUMMARY too when set)')
    .option('--html <file>', 'also write a self-contained HTML report (steps: rate vs p95/errors, the breaking point marked)')
    .addOption(new Option('--fail-on <level>', 'which level fails: critical (default) or warning').choices(['warning', 'critical']))
    .option('--no-preflight', 'skip the check that the target accepts a TCP connection before the first step starts')
    .option('--no-color', 'plain text')
    .addHelpText(
      'after',
      `
Examples:
  $ loadctl phase validate                                   # scenarios/simple.ts at 1K RPS for 30 s
  $ loadctl phase stress --rate 5000 --duration 20s
  $ loadctl phase breakpoint --from 500 --step-duration 10s --max-duration 5m --out breakpoint.json

Durations: 500ms, 30s, 2m, 1h30m, or a bare number of seconds; percentages with their sign: 5%, 0.5%
(a bare number such as 0.1 is refused as ambiguous). The same in the config file.
A step is critical by the config's levels (by default: errors > 10 %, p95 > 1 s, 503s > 1 %, refused
connections). A step where the fleet, not the target, was the limit ends the search without naming
a breaking point and estimates how many instances it would take.
Exit codes as run: 0 good (breakpoint: the search finished), 10 critical (breakpoint: critical at the
starting rate), 12 generator-limited, 13 degraded, 2 bad input, 5 the target refused the preflight
connection or the fleet could not start, 130 interrupted.`,
    )
    .action(async (phase: 'validate' | 'stress' | 'breakpoint' | 'distributed', scenario: string | undefined, flags: PhaseFlags) => {
      const { executePhase } = await import('../phases/run-phase.js');
      const interrupt = listenForInterrupt('stopping the phase');
      try {
        const result = await executePhase({
          phase,
          ...(scenario ? { scenario } : {}),
          ...(flags.config ? { configPath: flags.config } : {}),
          flags: { target: flags.target, targetMetrics: flags.targetMetrics, instances: flags.instances, failOn: flags.failOn },
          overrides: {
            rate: flags.rate,
            durationMs: flags.duration,
            from: flags.from,
            precision: flags.precision,
            stepDurationMs: flags.stepDuration,
            maxDurationMs: flags.maxDuration,
            maxSteps: flags.maxSteps,
            coolDownMs: flags.coolDown,
          },
          ...(flags.workers ? { workers: flags.workers } : {}),
          ...(flags.out ? { out: flags.out } : {}),
          reportFiles: { junit: flags.junit, markdown: flags.markdown, html: flags.html },
          ...(flags.runner ? { runnerKind: flags.runner } : {}),
          acceptNewHostKeys: flags.acceptNewHostKeys === true,
          color: flags.color !== false && process.stdout.isTTY === true,
          preflight: flags.preflight !== false,
          signal: interrupt.signal,
        });
        console.log(result.text);
        process.exitCode = result.exitCode;
      } finally {
        interrupt.dispose();
      }
    });
}

function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError(`expected a number > 0, got "${value}"`);
  return number;
}
