/**
 * `loadctl fleet provision`'s core: on every host in parallel, push the agent bundle (the rust engine's
 * binary beside it when built, and, when the user supplies one, a k6 binary) into the host's workDir
 * over SFTP, verified by SHA-256 and skipped when identical. loadctl never downloads or builds k6: `k6` here is a file the user has.
 */
import { posix } from 'node:path';
import { LoadctlError } from '../../contract/loadctl-error.js';
import { AGENT_BUNDLE_FILE } from '../runners/ssh/ssh-runner.js';
import { describeHost, SshSession } from '../runners/ssh/ssh-session.js';
import { remoteK6Path, type ResolvedFleetConfig, type ResolvedFleetHost } from './fleet-config.js';
import { ensureRemoteDir, pushFile, type PushedFile } from './sftp-files.js';

/** Beside the agent bundle, where its agent looks (src/engines/rust/engine-binary.ts). */
const RUST_ENGINE_PATH = 'engine/loadctl-engine';

export interface FleetProvisionOptions {
  /** The local agent bundle (single-file `loadctl-agent.mjs`). */
  agentBundle: string;
  /** loadctl-engine (`npm run build:engine`): pushed to `<workDir>/engine/loadctl-engine`, where the bundle's agent finds it. */
  rustEngine?: string;
  /** A k6 binary the user built or downloaded; pushed to each host's `k6` path (or `<workDir>/k6`). */
  k6?: string;
  acceptNewHostKeys?: boolean;
  timeoutMs?: number;
  onNotice?: (message: string) => void;
}

export interface HostProvisionResult {
  name: string;
  keyPath: string;
  files: PushedFile[];
  /** `loadctl-engine --version` on the host after its push (or why it did not run there: another architecture…). */
  rustEngineVersion?: string;
  /** `k6 version` on the host after a k6 push. */
  k6Version?: string;
  /** Why this host failed (with the fix). */
  error?: string;
}

export interface FleetProvisionResult {
  hosts: HostProvisionResult[];
  ok: boolean;
}

export async function provisionFleet(config: ResolvedFleetConfig, options: FleetProvisionOptions): Promise<FleetProvisionResult> {
  const hosts = await Promise.all(config.hosts.map((host) => provisionHost(host, config.knownHosts, options)));
  return { hosts, ok: hosts.every((host) => !host.error) };
}

async function provisionHost(host: ResolvedFleetHost, knownHostsFile: string, options: FleetProvisionOptions): Promise<HostProvisionResult> {
  const result: HostProvisionResult = { name: describeHost(host), keyPath: host.keyPath, files: [] };
  let session: SshSession | undefined;
  try {
    session = await SshSession.connect(host, {
      knownHostsFile,
      acceptNew: options.acceptNewHostKeys ?? false,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.onNotice ? { onAccepted: options.onNotice } : {}),
    });
    const sftp = await session.sftp();
    try {
      await ensureRemoteDir(sftp, host.workDir);
      result.files.push(await pushFile(session, sftp, host.node, options.agentBundle, posix.join(host.workDir, AGENT_BUNDLE_FILE), 0o644));
      if (options.rustEngine) {
        const target = posix.join(host.workDir, RUST_ENGINE_PATH);
        await ensureRemoteDir(sftp, posix.dirname(target));
        result.files.push(await pushFile(session, sftp, host.node, options.rustEngine, target, 0o755));
        const version = await session.exec([target, '--version'], { timeoutMs: 15_000 });
        result.rustEngineVersion = (version.exitCode === 0 ? version.stdout : `does not run here: ${`${version.stdout}${version.stderr}`.trim() || `exit code ${version.exitCode}`}`).trim().split('\n')[0];
      }
      if (options.k6) {
        const target = remoteK6Path(host);
        await ensureRemoteDir(sftp, posix.dirname(target));
        result.files.push(await pushFile(session, sftp, host.node, options.k6, target, 0o755));
        const version = await session.exec([target, 'version'], { timeoutMs: 15_000 });
        result.k6Version = (version.exitCode === 0 ? version.stdout : `${version.stdout}${version.stderr}` || `exit code ${version.exitCode}`).trim().split('\n')[0];
      }
    } finally {
      sftp.end();
    }
  } catch (error) {
    result.error = error instanceof LoadctlError && error.hint ? `${error.message} (→ ${error.hint})` : error instanceof Error ? error.message : String(error);
  } finally {
    session?.end();
  }
  return result;
}
