/** `loadctl agent`: one engine instance driven by a controller over stdio (docs/agent-protocol.md). Not for people. */
import { Command, Option } from 'commander';
import type { EngineName } from '../engines/engine.js';
import { ENGINE_NAMES } from '../engines/engine-registry.js';
import { parseInteger } from './option-parsers.js';

export function agentCommand(): Command {
  return new Command('agent')
    .description('one engine instance speaking the agent protocol on stdin/stdout (started by `loadctl run`, locally or over SSH)')
    .addOption(new Option('--engine <engine>', 'native (loadctl\'s own, in Node), rust (loadctl-engine, npm run build:engine) or k6 (a k6 you installed)').choices(ENGINE_NAMES).default('native'))
    .option('--k6 <path>', 'the k6 binary for --engine k6 (default: $LOADCTL_K6, then PATH)')
    .option('--workers <n>', 'worker threads (native; default: one per core)', parseInteger(1))
    .action(async (flags: { engine: EngineName; k6?: string; workers?: number }) => {
      const { runEngineAgent } = await import('../agent/run-agent.js');
      const settings = { ...(flags.k6 ? { k6Path: flags.k6 } : {}), ...(flags.workers ? { workers: flags.workers } : {}) };
      const outcome = await runEngineAgent(flags.engine, settings, { input: process.stdin, output: process.stdout, log: (line: string) => process.stderr.write(`agent ${process.pid}: ${line}\n`) });
      // Worker threads and sockets are closed by now; exit even if a stray handle lingers.
      process.exit(outcome.exitCode);
    });
}
