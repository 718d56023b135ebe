/**
 * One authenticated SSH connection to a fleet host (ssh2), with the host key checked against
 * known_hosts. Everything loadctl runs remotely goes through `exec` / `openChannel` here, built from
 * argv words that are each shell-quoted. No key material or passphrase ever reaches a message.
 */
import { readFileSync } from 'node:fs';
import { Client, type ClientChannel, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import type { ResolvedFleetHost } from '../../fleet/fleet-config.js';
import { createHostKeyCheck, type HostKeyPolicy } from './host-key-check.js';
import { quoteShellCommand } from './shell-quote.js';
import { SshError } from './ssh-error.js';

export interface SshConnectOptions extends HostKeyPolicy {
  /** Handshake + authentication must finish within this (default 10 s). */
  timeoutMs?: number;
}

/** What a remote command did: one shape whether it succeeded or not. */
export interface RemoteCommandResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** `user@host:port` for messages. */
export function describeHost(host: Pick<ResolvedFleetHost, 'host' | 'port' | 'user'>): string {
  return `${host.user}@${host.host}${host.port === 22 ? '' : `:${host.port}`}`;
}

export class SshSession {
  private closed = false;
  private readonly closeListeners = new Set<(reason: string) => void>();

  private constructor(
    readonly host: ResolvedFleetHost,
    private readonly client: Client,
  ) {
    client.on('error', (error: Error) => this.markClosed(`connection error: ${error.message}`));
    client.on('close', () => this.markClosed('connection closed'));
  }

  /** Connects, verifies the host key and authenticates; throws SshError naming the host and the fix. */
  static async connect(host: ResolvedFleetHost, options: SshConnectOptions): Promise<SshSession> {
    const check = createHostKeyCheck(host.host, host.port, options);
    const client = new Client();
    const config: ConnectConfig = {
      host: host.host,
      port: host.port,
      username: host.user,
      readyTimeout: options.timeoutMs ?? 10_000,
      keepaliveInterval: 5_000,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => check.verify(key),
      ...(check.preferredAlgorithms.length > 0 ? { algorithms: { serverHostKey: { remove: check.preferredAlgorithms, prepend: check.preferredAlgorithms } as never } } : {}),
      ...(host.agentSocket ? { agent: host.agentSocket } : {}),
      ...(host.identityFile ? { privateKey: readKey(host) } : {}),
    };
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', (error: Error & { level?: string; code?: string }) => reject(check.refusal() ?? describeConnectError(host, error)));
      try {
        client.connect(config);
      } catch (error) {
        reject(describeConnectError(host, error as Error));
      }
    }).catch((error: unknown) => {
      client.end();
      throw error;
    });
    return new SshSession(host, client);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Calls `listener` once when the connection ends (error or close). */
  onClose(listener: (reason: string) => void): void {
    this.closeListeners.add(listener);
  }

  /** Opens an exec channel (no pty) running `argv`, quoted. */
  openChannel(argv: readonly string[]): Promise<ClientChannel> {
    const command = quoteShellCommand(argv);
    return new Promise((resolve, reject) => {
      this.client.exec(command, (error, channel) => (error ? reject(new SshError(`${describeHost(this.host)}: cannot start a remote command: ${error.message}`, { cause: error })) : resolve(channel)));
    });
  }

  /** Runs `argv` to completion (optionally feeding `input`) and returns its output; bounded by `timeoutMs`. */
  async exec(argv: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<RemoteCommandResult> {
    const channel = await this.openChannel(argv);
    return new Promise((resolve) => {
      let stdout = '';
      let stderr = '';
      let exitCode: number | null = null;
      let signal: string | null = null;
      const timer = setTimeout(() => {
        stderr += `\n(timed out after ${options.timeoutMs} ms)`;
        channel.close();
      }, options.timeoutMs ?? 30_000);
      channel.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      channel.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      channel.on('exit', (code: number | null, signalName?: string) => {
        exitCode = code ?? null;
        signal = signalName ?? null;
      });
      channel.on('close', () => {
        clearTimeout(timer);
        resolve({ exitCode, signal, stdout, stderr });
      });
      channel.end(options.input ?? '');
    });
  }

  /** The SFTP subsystem of this connection. */
  sftp(): Promise<SFTPWrapper> {
    return new Promise((resolve, reject) => {
      this.client.sftp((error, sftp) => (error ? reject(new SshError(`${describeHost(this.host)}: SFTP is not available: ${error.message}`, { cause: error, hint: 'enable the sftp Subsystem in the host\'s sshd_config' })) : resolve(sftp)));
    });
  }

  end(): void {
    this.client.end();
  }

  private markClosed(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener(reason);
  }
}

function readKey(host: ResolvedFleetHost): Buffer {
  try {
    return readFileSync(host.identityFile!);
  } catch (cause) {
    throw new SshError(`${host.keyPath}.identityFile: cannot read ${host.identityFile}`, { cause, stage: 'auth', hint: 'check the path and its permissions' });
  }
}

/** Turns ssh2/socket errors into a message that names the host and the next step (never the key). */
function describeConnectError(host: ResolvedFleetHost, error: Error & { level?: string; code?: string }): SshError {
  const who = describeHost(host);
  const options = { cause: error, stage: 'connect' as const };
  if (error.code === 'ECONNREFUSED') return new SshError(`${who}: connection refused`, { ...options, hint: `is sshd running on ${host.host} and listening on port ${host.port}? (${host.keyPath}.port)` });
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return new SshError(`${who}: host name not found`, { ...options, hint: `check ${host.keyPath}.host` });
  if (error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH') return new SshError(`${who}: host unreachable (${error.code})`, { ...options, hint: 'check the network route to the host' });
  if (/timed out/i.test(error.message) || error.code === 'ETIMEDOUT') return new SshError(`${who}: no SSH handshake in time (${error.message})`, { ...options, hint: 'is the host up, and does a firewall let port through?' });
  if (error.level === 'client-authentication') {
    const method = host.identityFile ? `the key ${host.identityFile}` : 'the SSH agent\'s keys';
    return new SshError(`${who}: authentication failed with ${method}`, { ...options, stage: 'auth', hint: `add the public key to ~${host.user}/.ssh/authorized_keys on ${host.host} (ssh-copy-id ${host.port === 22 ? '' : `-p ${host.port} `}${host.identityFile ? `-i ${host.identityFile} ` : ''}${host.user}@${host.host})` });
  }
  if (/passphrase|encrypted/i.test(error.message)) return new SshError(`${who}: the private key ${host.identityFile} is encrypted`, { ...options, stage: 'auth', hint: 'load it into ssh-agent (ssh-add) and omit identityFile; loadctl never asks for passphrases' });
  return new SshError(`${who}: ${error.message}`, options);
}
