/**
 * One agent of the chosen engine on stdio: the native agent, or the k6 agent driving a k6 the user
 * installed. `loadctl agent` (commander flags) and the single-file agent bundle (parseArgs) both start here.
 */
import { runAgent, type AgentIo } from './run-agent.js';

export interface EngineAgentFlags {
  engine: 'native' | 'rust' | 'k6';
  /** `--k6 PATH` (k6 only; without it LOADCTL_K6, then PATH). */
  k6?: string;
  /** `--workers N` (native only; default one per core). */
  workers?: number;
}

/** Resolves when the agent is done; the caller exits (a stray handle must not keep the process alive). */
export async function runEngineAgent(flags: EngineAgentFlags, io: AgentIo, options: { workerScript?: URL } = {}): Promise<void> {
  if (flags.engine === 'k6') {
    const { runK6Agent } = await import('../engines/k6/k6-agent.js');
    await runK6Agent(io, flags.k6 ? { k6Path: flags.k6 } : {});
    return;
  }
  // The rust engine is this agent driving `loadctl-engine`: found (or refused) before hello names it.
  const rust = flags.engine === 'rust' ? (await import('../engines/rust/rust-instance.js')).requireRustEngine() : undefined;
  await runAgent(io, {
    ...(rust ? { rust } : {}), ...(options.workerScript ? { workerScript: options.workerScript } : {}), ...(flags.workers ? { workers: flags.workers } : {}) });
}
