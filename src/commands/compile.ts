/** `loadctl compile <scenario.ts>`: check a scenario, show its plan, or write it as one standalone k6 script. */
import { basename } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { parseDurationFlag } from './option-parsers.js';

export interface CompileFlags {
  output?: string;
  rate?: number;
  /** ms */
  duration?: number;
  target?: string;
  check?: boolean;
  dryRun?: boolean;
}

export function compileCommand(): Command {
  return new Command('compile')
    .description('compile a TypeScript scenario into a standalone k6 script (or only --check it, or --dry-run to show its plan)')
    .argument('<scenario>', 'scenario file, e.g. scenarios/simple.ts')
    .option('-o, --output <file>', 'where to write the k6 script (default: <scenario>.k6.js in the working directory)')
    .option('--rate <rps>', 'total requests/s; every sub-scenario scales in proportion', parseRate)
    .option('--duration <duration>', "how long every sub-scenario runs ('30s', '2m'); ramps are stretched", parseDurationFlag)
    .option('--target <url>', 'base URL of the service under test (default: $API_URL, else http://127.0.0.1:3000)')
    .option('--check', 'validate the scenario and its plan only; write nothing')
    .option('--dry-run', 'print the plan per sub-scenario (rate, duration, iterations, VUs, payload sizes); write nothing')
    .addHelpText(
      'after',
      `
Examples:
  $ loadctl compile scenarios/simple.ts                 # writes simple.k6.js; run it with: k6 run simple.k6.js
  $ loadctl compile scenarios/full.ts --rate 1000 --dry-run
  $ loadctl compile scenarios/ramp.ts --check

The script honours the seed's knobs: k6 run -e RPS=1000 -e DURATION=1m -e API_URL=http://host:3000 out.js`,
    )
    .action(async (scenario: string, flags: CompileFlags) => {
      const { runCompile } = await import('../cores/run-compile.js');
      const output = await runCompile({
        scenario,
        output: flags.output ?? defaultOutput(scenario),
        rate: flags.rate,
        durationMs: flags.duration,
        target: flags.target,
        check: flags.check,
        dryRun: flags.dryRun,
      });
      console.log(output);
    });
}

function defaultOutput(scenario: string): string {
  return `${basename(scenario).replace(/\.[cm]?[tj]s$/, '')}.k6.js`;
}

function parseRate(value: string): number {
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate <= 0) throw new InvalidArgumentError(`expected requests per second > 0, got "${value}"`);
  return rate;
}
