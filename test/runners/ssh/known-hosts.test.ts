import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkHostKey, entryMatches, fingerprintOf, formatKnownHostsLine, keyTypeOf, knownHostsName, parseKnownHosts } from '../../../src/runners/ssh/known-hosts.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

/** A real ed25519 public key made by ssh-keygen, as [line, blob]. */
function newKey(dir: string, name: string): { line: string; blob: Buffer; file: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { stdio: 'ignore' });
  const line = readFileSync(`${file}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  return { line, blob: Buffer.from(line.split(' ')[1]!, 'base64'), file };
}

describe('known_hosts', () => {
  const dir = makeTempDir('loadctl-known-hosts-');
  const a = newKey(dir, 'a');
  const b = newKey(dir, 'b');

  it('names hosts as OpenSSH does: bare on port 22, [host]:port otherwise', () => {
    assert.equal(knownHostsName('gen-1', 22), 'gen-1');
    assert.equal(knownHostsName('10.0.0.5', 2222), '[10.0.0.5]:2222');
  });

  it('reads hashed entries made by ssh-keygen -H (HMAC-SHA1 of the name)', () => {
    const file = join(dir, 'hashed');
    writeFileSync(file, `[127.0.0.9]:2200 ${a.line}\ngen-7.example.com ${b.line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const entries = parseKnownHosts(readFileSync(file, 'utf8'));
    assert.equal(entries.length, 2);
    assert.ok(entries.every((entry) => entry.hashed && entry.patterns === null), 'ssh-keygen -H hashed both lines');
    assert.deepEqual(checkHostKey(entries, '127.0.0.9', 2200, a.blob), { status: 'known', line: 1 });
    assert.deepEqual(checkHostKey(entries, 'gen-7.example.com', 22, b.blob), { status: 'known', line: 2 });
    assert.equal(checkHostKey(entries, '127.0.0.9', 2201, a.blob).status, 'unknown', 'another port is another host');
  });

  it('matches comma lists, wildcards and negations, case-insensitively', () => {
    const [entry] = parseKnownHosts(`gen-*.example.com,!gen-9.example.com,[10.0.0.?]:2222 ${a.line}`);
    const cases: Array<[string, boolean]> = [
      ['gen-1.example.com', true],
      ['GEN-2.EXAMPLE.COM', true],
      ['gen-9.example.com', false],
      ['[10.0.0.5]:2222', true],
      ['[10.0.0.55]:2222', false],
      ['other.example.com', false],
    ];
    for (const [name, expected] of cases) assert.equal(entryMatches(entry!, name), expected, name);
  });

  it('skips comments, blank and malformed lines and keeps line numbers', () => {
    const entries = parseKnownHosts(`# comment\n\nonly-two-fields ssh-ed25519\n@weird host ${a.line}\nhost ${b.line}\n`);
    assert.deepEqual(entries.map((entry) => entry.line), [5]);
  });

  it('a different key of a known host is "changed" and names the known fingerprint', () => {
    const entries = parseKnownHosts(`[h]:2222 ${a.line}\n`);
    const verdict = checkHostKey(entries, 'h', 2222, b.blob);
    assert.deepEqual(verdict, { status: 'changed', line: 1, knownFingerprint: fingerprintOf(a.blob), knownType: 'ssh-ed25519' });
  });

  it('@revoked wins over a plain entry with the same key; @cert-authority lines are not host keys', () => {
    const entries = parseKnownHosts(`h ${a.line}\n@revoked h ${a.line}\n@cert-authority * ${b.line}\n`);
    assert.deepEqual(checkHostKey(entries, 'h', 22, a.blob), { status: 'revoked', line: 2 });
    assert.equal(checkHostKey(entries, 'other', 22, b.blob).status, 'unknown');
  });

  it('fingerprints equal ssh-keygen -lf (SHA256, unpadded base64)', () => {
    const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${a.file}.pub`], { encoding: 'utf8' }).split(' ')[1];
    assert.equal(fingerprintOf(a.blob), printed);
    assert.equal(keyTypeOf(a.blob), 'ssh-ed25519');
  });

  it('formats a line OpenSSH reads back (ssh-keygen -F finds it)', () => {
    const file = join(dir, 'formatted');
    writeFileSync(file, `${formatKnownHostsLine('127.0.0.7', 2022, a.blob)}\n`);
    const found = execFileSync('ssh-keygen', ['-F', '[127.0.0.7]:2022', '-f', file], { encoding: 'utf8' });
    assert.match(found, /\[127\.0\.0\.7\]:2022 ssh-ed25519 /);
  });
});
