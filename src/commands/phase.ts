/** `loadctl phase validate|stress|breakpoint|distributed`: the seed's testing strategy, automated. */
import { Argument, Command, InvalidArgumentError } from 'commander';
import { CONFIG_DEFAULTS } from '../config/config-defaults.js';
import { listenForInterrupt } from './interrupt.js';
import { parseDurationFlag, parseInteger, parsePercentageFlag } from './option-parsers.js';
import { configFlagsOf, reportFilesOf, sharedOptions, type SharedFlags } from './shared-options.js';

export type PhaseFlags = SharedFlags & {
  from?: number;
  precision?: number;
  stepDuration?: number;
  maxDuration?: number;
  maxSteps?: number;
  coolDown?: number;
};

const BREAKPOINT = CONFIG_DEFAULTS.phases.breakpoint;

export function phaseCommand(): Command {
  const command = new Command('phase')
    .description("the seed's testing strategy: validate (1K RPS), stress (10K RPS), breakpoint (double, then bisect), distributed")
    .addArgument(new Argument('<phase>', 'which phase').choices(['validate', 'stress', 'breakpoint', 'distributed']))
    .argument('[scenario]', "scenario file (default: loadctl's own scenarios/simple.ts for validate/stress, scenarios/full.ts otherwise)");
  for (const option of sharedOptions(['rate', 'duration'], {
    rate: 'validate/stress/distributed: the total rate (env RATE; default from loadctl.config.yaml phases)',
    duration: 'validate/stress/distributed: how long, e.g. 30s (env DURATION)',
  })) {
    command.addOption(option);
  }
  command
    .option('--from <rps>', `breakpoint: the first step's rate (default ${BREAKPOINT.from})`, positiveNumber)
    .option('--precision <percent>', `breakpoint: stop when last good and first critical are within this, e.g. 5% (default ${BREAKPOINT.precision * 100}%)`, parsePercentageFlag({ min: 0, max: 1, exclusive: true }))
    .option('--step-duration <duration>', `breakpoint: how long each step runs (default ${BREAKPOINT.stepDurationMs / 1000}s)`, parseDurationFlag)
    .option('--max-duration <duration>', 'breakpoint: bound on the whole search, e.g. 15m', parseDurationFlag)
    .option('--max-steps <n>', `breakpoint: bound on the number of steps (default ${BREAKPOINT.maxSteps})`, parseInteger(1))
    .option('--cool-down <duration>', 'breakpoint: longest wait between steps for the target to drain its buffer (default 30s)', parseDurationFlag);
  for (const option of sharedOptions(
    ['instances', 'target', 'ca', 'cert', 'key', 'insecure', 'targetMetrics', 'engine', 'k6', 'workers', 'runner', 'acceptNewHostKeys', 'config', 'out', 'junit', 'markdown', 'html', 'failOn', 'preflight', 'color'],
    {
      out: "write the JSON phase report (every step's run report, breakingPoint) here (checked before anything runs)",
      html: 'also write a self-contained HTML report (steps: rate vs p95/errors, the breaking point marked)',
      preflight: 'skip the check that the target accepts a TCP connection before the first step starts',
    },
  )) {
    command.addOption(option);
  }
  return command
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
      const { executePhase } = await import('../cores/run-phase.js');
      const interrupt = listenForInterrupt('stopping the phase');
      try {
        const result = await executePhase({
          phase,
          ...(scenario ? { scenario } : {}),
          ...(flags.config ? { configPath: flags.config } : {}),
          flags: configFlagsOf(flags),
          overrides: {
            from: flags.from,
            precision: flags.precision,
            stepDurationMs: flags.stepDuration,
            maxDurationMs: flags.maxDuration,
            maxSteps: flags.maxSteps,
            coolDownMs: flags.coolDown,
          },
          ...(flags.workers ? { workers: flags.workers } : {}),
          ...(flags.k6 ? { k6Path: flags.k6 } : {}),
          reportFiles: reportFilesOf(flags),
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
