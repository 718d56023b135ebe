/**
 * Host-key policy for one connection: the presented key must be in known_hosts. Unknown keys are
 * refused (or, with `acceptNew`, recorded: trust on first use); changed or revoked keys are always
 * refused. The refusal is kept as an SshError with the fingerprint and how to accept the key.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SshError } from './ssh-error.js';
import { checkHostKey, fingerprintOf, formatKnownHostsLine, keyTypeOf, knownHostsName, knownKeyTypes, parseKnownHosts, type KnownHostEntry } from './known-hosts.js';

export interface HostKeyPolicy {
  knownHostsFile: string;
  /** Record keys of hosts known_hosts does not list yet (never replaces a known key). */
  acceptNew: boolean;
  /** Told when a new key is recorded. */
  onAccepted?: (message: string) => void;
}

export interface HostKeyCheck {
  /** For ssh2's `hostVerifier`: true lets the handshake go on. */
  verify(key: Buffer): boolean;
  /** Host-key algorithms with the types known_hosts lists first, so the host presents a key we can check. */
  preferredAlgorithms: string[];
  /** Why the key was refused, once `verify` returned false. */
  refusal(): SshError | undefined;
}

const ALGORITHMS_OF_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

export function createHostKeyCheck(host: string, port: number, policy: HostKeyPolicy): HostKeyCheck {
  const entries = readEntries(policy.knownHostsFile);
  let refused: SshError | undefined;
  return {
    preferredAlgorithms: knownKeyTypes(entries, host, port).flatMap((type) => ALGORITHMS_OF_TYPE[type] ?? []),
    refusal: () => refused,
    verify(key) {
      const verdict = checkHostKey(entries, host, port, key);
      if (verdict.status === 'known') return true;
      if (verdict.status === 'unknown' && policy.acceptNew) {
        recordKey(policy, host, port, key);
        return true;
      }
      refused = describeRefusal(verdict, host, port, key, policy.knownHostsFile);
      return false;
    },
  };
}

function readEntries(file: string): KnownHostEntry[] {
  try {
    return existsSync(file) ? parseKnownHosts(readFileSync(file, 'utf8')) : [];
  } catch (cause) {
    throw new SshError(`cannot read known_hosts file ${file}`, { cause, hint: 'check fleet.knownHosts and the file permissions' });
  }
}

function recordKey(policy: HostKeyPolicy, host: string, port: number, key: Buffer): void {
  const file = policy.knownHostsFile;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const needsNewline = existsSync(file) && !readFileSync(file, 'utf8').match(/(^|\n)$/);
  appendFileSync(file, `${needsNewline ? '\n' : ''}${formatKnownHostsLine(host, port, key)}\n`, { mode: 0o600 });
  policy.onAccepted?.(`recorded the host key of ${knownHostsName(host, port)} (${keyTypeOf(key)} ${fingerprintOf(key)}) in ${file}`);
}

function describeRefusal(verdict: ReturnType<typeof checkHostKey>, host: string, port: number, key: Buffer, file: string): SshError {
  const name = knownHostsName(host, port);
  const presented = `${keyTypeOf(key)} ${fingerprintOf(key)}`;
  const keyscan = `ssh-keyscan ${port === 22 ? '' : `-p ${port} `}${host} >> ${file}`;
  switch (verdict.status) {
    case 'unknown':
      return new SshError(`host key of ${name} is not in ${file}: it presented ${presented}`, {
        stage: 'host-key',
        hint: `check that fingerprint with the host's owner (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on ${host}), then rerun with --accept-new-host-keys to record it, or add it yourself: ${keyscan}`,
      });
    case 'revoked':
      return new SshError(`host key of ${name} (${presented}) is marked @revoked in ${file} line ${verdict.line}: refused`, {
        stage: 'host-key',
        hint: 'the host must get a new host key; loadctl will not connect with a revoked one',
      });
    case 'changed':
      return new SshError(
        `HOST KEY CHANGED for ${name}: it presented ${presented}, but ${file} line ${verdict.line} has ${verdict.knownType} ${verdict.knownFingerprint}. Someone may be intercepting the connection (man in the middle), or the host was reinstalled. Refused.`,
        { stage: 'host-key', hint: `if you have verified the change with the host's owner, remove the old key (ssh-keygen -R '${name}' -f ${file}) and record the new one with --accept-new-host-keys; loadctl never replaces a known key by itself` },
      );
    default:
      return new SshError(`host key of ${name} refused`, { stage: 'host-key' });
  }
}
