/**
 * Which runner carries a run: local processes (the default) or the SSH fleet of the config file's
 * `fleet` section (`--runner ssh`). Chosen once, here, so `run` and every `phase` step agree.
 */
import type { ResolvedConfig } from '../config/config-types.js';
import { remoteK6Path, type ResolvedFleetHost } from '../fleet/fleet-config.js';
import { UsageError } from '../../contract/loadctl-error.js';
import { createLocalRunner } from './local-runner.js';
import type { Runner } from './types.js';

export type RunnerKind = 'local' | 'ssh' | 'kubernetes';

export interface ChooseRunnerOptions {
  kind: RunnerKind;
  /** Record host keys known_hosts lacks (trust on first use); changed keys are always refused. */
  acceptNewHostKeys?: boolean;
  notice?: (message: string) => void;
  /**
   * `--engine k6`: start k6 agents. Locally `path` is `--k6` (else each agent looks at LOADCTL_K6, then
   * PATH); over SSH each fleet host's own `k6:` path is used, as `fleet check --engine k6` checks it.
   */
  k6?: { path?: string };
  /** Start rust-engine agents (`loadctl agent --engine rust`). */
  rust?: boolean;
  /** `--runner kubernetes`: the run's objects are labelled with its id and live no longer than its duration allows. */
  run?: { id: string; durationMs: number; signal?: AbortSignal; preflightUrl?: string | null };
}

export async function chooseRunner(config: ResolvedConfig, instances: number, options: ChooseRunnerOptions): Promise<Runner> {
  if (options.kind === 'local') return createLocalRunner(options.k6 ? { agentArgs: k6AgentArgs(options.k6.path) } : options.rust ? { agentArgs: RUST_AGENT_ARGS } : {});
  if (options.kind === 'kubernetes') return chooseKubernetesRunner(config, options);
  if (!config.file) {
    throw new UsageError('--runner ssh needs a config file with a `fleet:` section', { hint: 'create loadctl.config.yaml with fleet.hosts (docs/ssh-fleet.md) or pass --config PATH' });
  }
  const [{ fleetOfConfig }, { createSshRunner }] = await Promise.all([import('../fleet/read-fleet-section.js'), import('./ssh/ssh-runner.js')]);
  const fleet = fleetOfConfig(config);
  if (options.k6) refuseLocalK6Path(options.k6, config.file);
  const runner = createSshRunner(fleet.hosts, {
    knownHostsFile: fleet.knownHosts,
    acceptNewHostKeys: options.acceptNewHostKeys === true,
    ...(options.notice ? { onNotice: options.notice } : {}),
    ...(options.k6 ? { agentArgsFor: (host: ResolvedFleetHost) => k6AgentArgs(remoteK6Path(host)) } : {}),
    ...(options.rust ? { agentArgs: RUST_AGENT_ARGS } : {}),
  });
  if (instances > runner.capacity) {
    throw new UsageError(`--instances ${instances} is more than the fleet's ${fleet.hosts.length} host(s) allow (${runner.capacity} instances in all)`, {
      hint: `lower --instances to ≤ ${runner.capacity}, or raise \`instances\` of a host in ${config.file}`,
    });
  }
  return runner;
}

/** The agent's flags for the rust engine (the agent finds loadctl-engine beside itself or via LOADCTL_ENGINE). */
const RUST_AGENT_ARGS = ['--engine', 'rust'];

/** The agent's flags for the k6 engine (`loadctl agent` and the agent bundle read the same ones). */
function k6AgentArgs(path: string | undefined): string[] {
  return ['--engine', 'k6', ...(path ? ['--k6', path] : [])];
}

/** Over SSH, k6 is each host's own (remoteK6Path): `--k6`, a path on this machine, cannot name it. */
function refuseLocalK6Path(k6: { path?: string }, configFile: string): void {
  if (!k6.path) return;
  throw new UsageError(`--k6 ${k6.path} names a k6 on this machine; with --runner ssh each fleet host runs its own`, {
    hint: `drop --k6: each host runs its \`k6:\` from ${configFile}, else <workDir>/k6 (\`loadctl fleet provision --k6 PATH\` pushes one binary there; \`loadctl fleet check --engine k6\` checks them)`,
  });
}

/** `--runner kubernetes`: the config file's `kubernetes` section (every default without one). */
async function chooseKubernetesRunner(config: ResolvedConfig, options: ChooseRunnerOptions): Promise<Runner> {
  if (options.k6) throw new UsageError('--engine k6 does not run with --runner kubernetes yet (the pods have Node, not k6)', { hint: 'use --engine native' });
  const [{ readKubernetesConfig }, { createKubernetesRunner }, { resolveAgentBundle }] = await Promise.all([
    import('../runners/kubernetes/read-kubernetes-section.js'),
    import('../runners/kubernetes/kubernetes-runner.js'),
    import('../fleet/agent-bundle.js'),
  ]);
  const { run } = options;
  // A bug, not a usage error: the Job's deadline and labels come from the run.
  if (!run) throw new Error('chooseRunner: --runner kubernetes needs options.run (the run id and duration)');
  return createKubernetesRunner(readKubernetesConfig(config.file), {
    runId: run.id,
    durationMs: run.durationMs,
    bundlePath: resolveAgentBundle(),
    ...(run.signal ? { signal: run.signal } : {}),
    preflightUrl: run.preflightUrl ?? null,
    ...(options.notice ? { onNotice: options.notice } : {}),
  });
}
