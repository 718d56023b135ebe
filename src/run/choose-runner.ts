/**
 * Which runner carries a run: local processes (the default) or the SSH fleet of the config file's
 * `fleet` section (`--runner ssh`). Chosen once, here, so `run` and every `phase` step agree.
 */
import type { ResolvedConfig } from '../config/config-types.js';
import { UsageError } from '../errors/loadctl-error.js';
import { createLocalRunner } from '../runners/local-runner.js';
import type { Runner } from '../runners/types.js';

export type RunnerKind = 'local' | 'ssh';

export interface ChooseRunnerOptions {
  kind: RunnerKind;
  /** Record host keys known_hosts lacks (trust on first use); changed keys are always refused. */
  acceptNewHostKeys?: boolean;
  notice?: (message: string) => void;
}

export async function chooseRunner(config: ResolvedConfig, instances: number, options: ChooseRunnerOptions): Promise<Runner> {
  if (options.kind === 'local') return createLocalRunner();
  if (!config.file) {
    throw new UsageError('--runner ssh needs a config file with a `fleet:` section', { hint: 'create loadctl.config.yaml with fleet.hosts (docs/ssh-fleet.md) or pass --config PATH' });
  }
  const [{ readFleetConfig }, { createSshRunner }] = await Promise.all([import('../fleet/read-fleet-section.js'), import('../runners/ssh/ssh-runner.js')]);
  const fleet = readFleetConfig(config.file);
  const runner = createSshRunner(fleet.hosts, {
    knownHostsFile: fleet.knownHosts,
    acceptNewHostKeys: options.acceptNewHostKeys === true,
    ...(options.notice ? { onNotice: options.notice } : {}),
  });
  if (instances > runner.capacity) {
    throw new UsageError(`--instances ${instances} is more than the fleet's ${fleet.hosts.length} host(s) allow (${runner.capacity} instances in all)`, {
      hint: `lower --instances to ≤ ${runner.capacity}, or raise \`instances\` of a host in ${config.file}`,
    });
  }
  return runner;
}
