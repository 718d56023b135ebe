/** `loadctl compile <scenario.ts>`: check a scenario, show its plan, or write it as one standalone k6 script. */
import { basename } from 'node:path';
import { Command } from 'commander';
import { configFlagsOf, sharedOptions, type SharedFlags } from './shared-options.js';

export type CompileFlags = Pick<SharedFlags, 'rate' | 'duration' | 'target' | 'config' | 'dryRun'> & {
  output?: string;
  check?: boolean;
};

export function compileCommand(): Command {
  const command = new Command('compile')
    .description('compile a TypeScript scenario into a standalone k6 script (or only --check it, or --dry-run to show its plan)')
    .argument('<scenario>', 'scenario file, e.g. scenarios/simple.ts')
    .option('-o, --output <file>', 'where to write the k6 script (default: <scenario>.k6.js in the working directory)');
  for (const option of sharedOptions(['rate', 'duration', 'target', 'config'], { config: "config file whose levels become the script's k6 thresholds (default: ./loadctl.config.yaml when present)" })) {
    command.addOption(option);
  }
  command.option('--check', 'validate the scenario and its plan only; write nothing');
  for (const option of sharedOptions(['dryRun'], { dryRun: 'print the plan per sub-scenario (rate, duration, iterations, VUs, payload sizes); write nothing' })) {
    command.addOption(option);
  }
  return command
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
        ...(flags.config ? { configPath: flags.config } : {}),
        flags: configFlagsOf(flags),
        check: flags.check === true,
        dryRun: flags.dryRun === true,
      });
      console.log(output);
    });
}

function defaultOutput(scenario: string): string {
  return `${basename(scenario).replace(/\.[cm]?[tj]s$/, '')}.k6.js`;
}
