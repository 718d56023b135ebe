#!/usr/bin/env node
/** The loadctl entry point: builds the commander program from one explicit list of commands. */
import { Command } from 'commander';
import { targetCommand } from './commands/target.js';
import { reportError } from './errors/report-error.js';

const COMMANDS = [targetCommand];

const program = new Command('loadctl')
  .description('distributed load tests for event-ingestion APIs, judged good / warning / critical')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)');
for (const build of COMMANDS) program.addCommand(build());

program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = reportError(error);
});
