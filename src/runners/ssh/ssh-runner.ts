/**
 * The SSH runner: the same `Runner` as local instances, over ssh2. Each instance is one exec channel
 * running the agent on a fleet host; the controller (src/controller/) speaks the agent protocol over it and
 * measures each instance's clock offset itself, so this runner only connects and carries bytes.
 *
 * Fail fast: every host an instance is placed on is connected (host key checked, authenticated)
 * before any agent starts; one failure stops the launch with nothing started, unless `allowPartial`
 * lets the instances spread over the hosts that did connect (`skippedHosts` says which did not).
 */
import { posix } from 'node:path';
import { LoadctlError } from '../../../contract/loadctl-error.js';
import type { ResolvedFleetHost } from '../../fleet/fleet-config.js';
import type { InstanceProcess, Runner } from '../types.js';
import { startRemoteInstance } from './remote-instance.js';
import { spreadInstances, type Placement } from './spread-instances.js';
import { SshError } from './ssh-error.js';
import { describeHost, SshSession, type SshConnectOptions } from './ssh-session.js';

/** The agent bundle's file name inside a host's workDir (pushed by `loadctl fleet provision`). */
export const AGENT_BUNDLE_FILE = 'loadctl-agent.mjs';

export interface SshRunnerOptions {
  knownHostsFile: string;
  /** Record host keys known_hosts does not have yet (never changed ones). */
  acceptNewHostKeys?: boolean;
  /** Run on the hosts that connect when others do not (the report must say so: see `skippedHosts`). */
  allowPartial?: boolean;
  /** The agent's argv on a host (default: `<node> <workDir>/loadctl-agent.mjs`). */
  agentCommand?: (host: ResolvedFleetHost) => string[];
  /** Appended to the agent's argv. */
  agentArgs?: string[];
  /** Appended after `agentArgs`, per host (e.g. that host's k6 path). */
  agentArgsFor?: (host: ResolvedFleetHost) => string[];
  /** Environment for every agent (set by the remote wrapper; values are quoted, never interpreted). */
  env?: Record<string, string>;
  connectTimeoutMs?: number;
  /** Notices for a person (host keys recorded, hosts skipped). */
  onNotice?: (message: string) => void;
}

export interface SkippedHost {
  host: string;
  keyPath: string;
  reason: string;
}

export interface SshRunner extends Runner {
  readonly kind: 'ssh';
  /** Instances the fleet allows (sum of `instances`). */
  readonly capacity: number;
  /** Hosts left out by `allowPartial`, with why. */
  readonly skippedHosts: readonly SkippedHost[];
}

/** The default agent command: the bundle `fleet provision` pushed, run by the host's Node. */
export function defaultAgentCommand(host: ResolvedFleetHost): string[] {
  return [host.node, posix.join(host.workDir, AGENT_BUNDLE_FILE)];
}

export function createSshRunner(hosts: readonly ResolvedFleetHost[], options: SshRunnerOptions): SshRunner {
  const skippedHosts: SkippedHost[] = [];
  return {
    kind: 'ssh',
    capacity: hosts.reduce((sum, host) => sum + host.instances, 0),
    skippedHosts,
    async launch(count) {
      const { placements, usable, sessions } = await connectPlaced(hosts, count, options, skippedHosts);
      return startInstances(placements, usable, sessions, options);
    },
  };
}

/** Places the instances and connects every host that gets one; with allowPartial, re-places around failures. */
async function connectPlaced(hosts: readonly ResolvedFleetHost[], count: number, options: SshRunnerOptions, skipped: SkippedHost[]) {
  const connect: SshConnectOptions = {
    knownHostsFile: options.knownHostsFile,
    acceptNew: options.acceptNewHostKeys ?? false,
    ...(options.onNotice ? { onAccepted: options.onNotice } : {}),
    ...(options.connectTimeoutMs ? { timeoutMs: options.connectTimeoutMs } : {}),
  };
  const sessions = new Map<ResolvedFleetHost, SshSession>();
  try {
    return await placeAndConnect(hosts, count, options, skipped, connect, sessions);
  } catch (error) {
    for (const session of sessions.values()) session.end();
    throw error;
  }
}

async function placeAndConnect(
  hosts: readonly ResolvedFleetHost[],
  count: number,
  options: SshRunnerOptions,
  skipped: SkippedHost[],
  connect: SshConnectOptions,
  sessions: Map<ResolvedFleetHost, SshSession>,
) {
  let usable = [...hosts];
  for (;;) {
    const placements = spreadInstances(usable.map((host) => ({ name: describeHost(host), instances: host.instances })), count);
    const needed = [...new Set(placements.map((placement) => usable[placement.host]!))].filter((host) => !sessions.has(host));
    const attempts = await Promise.allSettled(needed.map((host) => SshSession.connect(host, connect)));
    const failed: SkippedHost[] = [];
    attempts.forEach((attempt, index) => {
      const host = needed[index]!;
      if (attempt.status === 'fulfilled') sessions.set(host, attempt.value);
      else failed.push({ host: describeHost(host), keyPath: host.keyPath, reason: messageOf(attempt.reason) });
    });
    if (failed.length === 0) {
      for (const [host, session] of sessions) if (!placements.some((p) => usable[p.host] === host)) session.end();
      return { placements, usable, sessions };
    }
    if (!options.allowPartial) {
      throw new SshError(`${failed.length} of ${hosts.length} fleet host${hosts.length === 1 ? '' : 's'} failed before any instance started:\n${failed.map((f) => `  ${f.keyPath} ${f.reason}`).join('\n')}`, {
        hint: 'fix those hosts (`loadctl fleet check` shows each), or pass --allow-partial to run on the others',
        cause: attempts.find((attempt) => attempt.status === 'rejected')?.reason,
      });
    }
    skipped.push(...failed);
    for (const failure of failed) options.onNotice?.(`skipping ${failure.keyPath} (${failure.host}): ${failure.reason}`);
    usable = usable.filter((host) => !failed.some((failure) => failure.keyPath === host.keyPath));
  }
}

/** Opens one channel per instance; if any cannot start, kills those that did and closes every connection. */
async function startInstances(placements: Placement[], usable: ResolvedFleetHost[], sessions: Map<ResolvedFleetHost, SshSession>, options: SshRunnerOptions): Promise<InstanceProcess[]> {
  const commandFor = options.agentCommand ?? defaultAgentCommand;
  const started = await Promise.allSettled(
    placements.map((placement) => {
      const host = usable[placement.host]!;
      return startRemoteInstance({
        session: sessions.get(host)!,
        label: `${host.host}${host.port === 22 ? '' : `:${host.port}`}#${placement.ordinal}`,
        command: [...commandFor(host), ...(options.agentArgs ?? []), ...(options.agentArgsFor?.(host) ?? [])],
        ...(options.env ? { env: options.env } : {}),
      });
    }),
  );
  const instances = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  if (instances.length < placements.length) {
    for (const instance of instances) instance.kill();
    await Promise.all(instances.map((instance) => instance.exited));
    for (const session of sessions.values()) session.end();
    const failure = started.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    throw failure.reason instanceof SshError ? failure.reason : new SshError(messageOf(failure.reason), { cause: failure.reason });
  }
  closeSessionsWhenIdle(placements, usable, sessions, instances);
  return instances;
}

/** Ends each host's connection once all its instances are gone (which also fires the remote watchdogs). */
function closeSessionsWhenIdle(placements: Placement[], usable: ResolvedFleetHost[], sessions: Map<ResolvedFleetHost, SshSession>, instances: InstanceProcess[]): void {
  for (const [host, session] of sessions) {
    const mine = instances.filter((_, index) => usable[placements[index]!.host] === host);
    void Promise.all(mine.map((instance) => instance.exited)).then(() => session.end());
  }
}

function messageOf(error: unknown): string {
  if (error instanceof LoadctlError) return error.hint ? `${error.message} (→ ${error.hint})` : error.message;
  return error instanceof Error ? error.message : String(error);
}
