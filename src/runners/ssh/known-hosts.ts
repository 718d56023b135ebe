/**
 * known_hosts, read the way OpenSSH reads it (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): plain host
 * patterns (`host`, `[host]:port`, `*`/`?` wildcards, `!` negation, comma lists), hashed entries
 * (`|1|salt|hmac-sha1(salt, name)`), `@revoked` keys. `@cert-authority` lines are read but not used:
 * loadctl verifies plain host keys only.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface KnownHostEntry {
  /** 1-based line number, for messages. */
  line: number;
  marker: 'revoked' | 'cert-authority' | null;
  /** Plain patterns, or null for a hashed entry. */
  patterns: string[] | null;
  hashed: { salt: Buffer; hash: Buffer } | null;
  keyType: string;
  /** The key blob (base64-decoded third field). */
  key: Buffer;
}

/** How a presented key relates to what known_hosts says about the host. */
export type HostKeyStatus =
  | { status: 'known'; line: number }
  | { status: 'unknown' }
  | { status: 'revoked'; line: number }
  /** The host is known with another key: of the same type (changed) or only of other types. */
  | { status: 'changed'; line: number; knownFingerprint: string; knownType: string };

/** Parses a known_hosts file's text; lines OpenSSH would skip (comments, garbage) are skipped too. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const entry = parseLine(raw.trim(), index + 1);
    if (entry) entries.push(entry);
  });
  return entries;
}

function parseLine(text: string, line: number): KnownHostEntry | null {
  if (text === '' || text.startsWith('#')) return null;
  const fields = text.split(/\s+/);
  let marker: KnownHostEntry['marker'] = null;
  if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
    marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
    fields.shift();
  } else if (fields[0]?.startsWith('@')) return null;
  const [hosts, keyType, keyBase64] = fields;
  if (!hosts || !keyType || !keyBase64 || !/^[A-Za-z0-9+/]+=*$/.test(keyBase64)) return null;
  const key = Buffer.from(keyBase64, 'base64');
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (!salt || !hash) return null;
    return { line, marker, patterns: null, hashed: { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') }, keyType, key };
  }
  return { line, marker, patterns: hosts.split(','), hashed: null, keyType, key };
}

/** The name known_hosts uses for a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Whether an entry applies to `name` (as made by `knownHostsName`). */
export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  if (entry.hashed) {
    const digest = createHmac('sha1', entry.hashed.salt).update(name).digest();
    return digest.length === entry.hashed.hash.length && timingSafeEqual(digest, entry.hashed.hash);
  }
  let matched = false;
  for (const pattern of entry.patterns ?? []) {
    const negated = pattern.startsWith('!');
    if (!matchesGlob(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false; // a negated match overrides every positive one (OpenSSH's match_hostname)
    matched = true;
  }
  return matched;
}

function matchesGlob(pattern: string, name: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(name);
}

/** Judges a presented key (its blob) for host:port against the parsed entries. */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyStatus {
  const name = knownHostsName(host, port);
  const matching = entries.filter((entry) => entry.marker !== 'cert-authority' && entryMatches(entry, name));
  const revoked = matching.find((entry) => entry.marker === 'revoked' && entry.key.equals(key));
  if (revoked) return { status: 'revoked', line: revoked.line };
  const plain = matching.filter((entry) => entry.marker === null);
  const same = plain.find((entry) => entry.key.equals(key));
  if (same) return { status: 'known', line: same.line };
  const type = keyTypeOf(key);
  const other = plain.find((entry) => entry.keyType === type) ?? plain[0];
  if (other) return { status: 'changed', line: other.line, knownFingerprint: fingerprintOf(other.key), knownType: other.keyType };
  return { status: 'unknown' };
}

/** Key types known_hosts lists for host:port (to prefer those algorithms in the handshake). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  return [...new Set(entries.filter((entry) => entry.marker === null && entryMatches(entry, name)).map((entry) => entry.keyType))];
}

/** OpenSSH's fingerprint: `SHA256:` + unpadded base64 of the blob's SHA-256. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside a key blob (its first SSH string), e.g. `ssh-ed25519`. */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const length = key.readUInt32BE(0);
  return length > 0 && length < 64 && key.length >= 4 + length ? key.subarray(4, 4 + length).toString('latin1') : 'unknown';
}

/** The known_hosts line that trusts `key` for host:port. */
export function formatKnownHostsLine(host: string, port: number, key: Buffer): string {
  return `${knownHostsName(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}`;
}
