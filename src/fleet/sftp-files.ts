/**
 * File pushes over SFTP with an end-to-end check: the file is uploaded under a temporary name, its
 * SHA-256 is computed on the host (by the host's Node) and compared with the local one, and only
 * then renamed into place — a half-written or corrupted file never takes the real name. A file
 * already identical on the host is not sent again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { SshError } from '../runners/ssh/ssh-error.js';
import type { SshSession } from '../runners/ssh/ssh-session.js';

export interface PushedFile {
  remotePath: string;
  sha256: string;
  action: 'uploaded' | 'unchanged';
}

const HASH_SCRIPT = `
var h = require('crypto').createHash('sha256'), s = require('fs').createReadStream(process.argv[1]);
s.on('error', function (e) { if (e.code === 'ENOENT') { console.log('missing'); process.exit(0); } console.error(e.message); process.exit(1); });
s.on('data', function (d) { h.update(d); }).on('end', function () { console.log(h.digest('hex')); });
`;

export function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** SHA-256 of a file on the host, or 'missing'. */
export async function remoteSha256(session: SshSession, node: string, remotePath: string): Promise<string> {
  const result = await session.exec([node, '-e', HASH_SCRIPT, remotePath], { timeoutMs: 60_000 });
  const answer = result.stdout.trim();
  if (result.exitCode !== 0 || !/^([0-9a-f]{64}|missing)$/.test(answer)) {
    throw new SshError(`${session.host.host}: cannot compute the SHA-256 of ${remotePath} with ${node}: ${(result.stderr || answer).trim().slice(0, 200) || `exit code ${result.exitCode}`}`, {
      hint: `provisioning verifies files with the host's Node: check ${session.host.keyPath}.node (\`loadctl fleet check\`)`,
    });
  }
  return answer;
}

/** Pushes `localPath` to `remotePath` (mode `mode`) unless the host already has the same bytes. */
export async function pushFile(session: SshSession, sftp: SFTPWrapper, node: string, localPath: string, remotePath: string, mode: number): Promise<PushedFile> {
  const sha256 = await sha256OfFile(localPath);
  if ((await remoteSha256(session, node, remotePath)) === sha256) return { remotePath, sha256, action: 'unchanged' };
  const temporary = `${remotePath}.loadctl-upload-${randomBytes(4).toString('hex')}`;
  try {
    await call<void>((done) => sftp.fastPut(localPath, temporary, { mode }, done));
    const uploaded = await remoteSha256(session, node, temporary);
    if (uploaded !== sha256) {
      throw new SshError(`${session.host.host}: ${remotePath} arrived corrupted (sha256 ${uploaded}, sent ${sha256})`, { hint: 'rerun `loadctl fleet provision`; check the host\'s disk space' });
    }
    await call<void>((done) => sftp.chmod(temporary, mode, done));
    // posix-rename@openssh.com replaces the target atomically (plain SFTP rename refuses to).
    await call<void>((done) => sftp.ext_openssh_rename(temporary, remotePath, done));
  } catch (error) {
    await call<void>((done) => sftp.unlink(temporary, done)).catch(() => undefined);
    throw error instanceof SshError ? error : new SshError(`${session.host.host}: cannot write ${remotePath}: ${(error as Error).message}`, { cause: error, hint: `check ${session.host.keyPath}.workDir and its permissions` });
  }
  return { remotePath, sha256, action: 'uploaded' };
}

/** `mkdir -p` over SFTP (relative paths are under the login's home directory). */
export async function ensureRemoteDir(sftp: SFTPWrapper, dir: string): Promise<void> {
  const parts = dir.split('/').filter((part) => part !== '' && part !== '.');
  let current = dir.startsWith('/') ? '/' : '';
  for (const part of parts) {
    current = current === '' ? part : posix.join(current, part);
    const exists = await call<unknown>((done) => sftp.stat(current, done)).then(
      () => true,
      () => false,
    );
    if (!exists) await call<void>((done) => sftp.mkdir(current, { mode: 0o755 }, done));
  }
}

function call<T>(start: (done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((error, value) => (error ? reject(error) : resolve(value as T))));
}
