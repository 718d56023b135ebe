#!/usr/bin/env node
/** The loadctl entry point: builds the commander program from one explicit list of commands. */
import { Command, CommanderError } from 'commander';
import { compareCommand } from './commands/compare.js';
import { agentCommand } from './commands/agent.js';
import { compileCommand } from './commands/compile.js';
import { doctorCommand } from './commands/doctor.js';
import { engineCommand } from './commands/engine.js';
import { fleetCommand } from './commands/fleet.js';
import { gateCommand } from './commands/gate.js';
import { kubeCommand } from './commands/kube.js';
import { mergeCommand } from './commands/merge.js';
import { phaseCommand } from './commands/phase.js';
import { runCommand } from './commands/run.js';
import { targetCommand } from './commands/target.js';
import { exitQuietlyWhenStdoutCloses } from './commands/closed-stdout.js';
import { EXIT_CODES } from '../contract/loadctl-error.js';
import { reportError } from '../contract/report-error.js';
import { LOADCTL_VERSION } from './version.js';

const COMMANDS = [runCommand, phaseCommand, targetCommand, doctorCommand, compileCommand, fleetCommand, kubeCommand, mergeCommand, gateCommand, compareCommand, engineCommand, agentCommand];

exitQuietlyWhenStdoutCloses();
const program = new Command('loadctl')
  .description('distributed load tests for event-ingestion APIs, judged good / warning / critical')
  .version(LOADCTL_VERSION);
for (const build of COMMANDS) program.addCommand(build());
reportUsageErrorsOurWay(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = exitCodeFor(error);
});

/**
 * Commander exits with 1 on bad usage; ours is 2, so its errors reach the one handler. Its messages
 * (`error: unknown option …`) are printed in loadctl's style (report-error.ts): `loadctl: …`, then the next
 * step. `addCommand` copies no settings, so every command is configured.
 */
function reportUsageErrorsOurWay(command: Command): void {
  command
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'loadctl: ')) })
    .showHelpAfterError(`  → run \`${commandPath(command)} --help\` for usage`);
  for (const sub of command.commands) reportUsageErrorsOurWay(sub);
}

function commandPath(command: Command): string {
  return command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name();
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed the message (or the help / version text).
    return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  return reportError(error);
}
