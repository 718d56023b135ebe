/**
 * `--store` paths that cannot hold a database: the real CLI exits 2 (a usage error) at start, naming the path and the
 * reason, with no stack trace and no hang (spawnSync's timeout is the hang detector: Node 20's
 * recursive mkdir used to spin forever on /proc/x). Tests run as root, which ignores file modes, so
 * "no permission" runs the CLI as uid 65534 (when root) and "read-only" uses an immutable directory
 * (chattr +i); "full disk" needs a tiny tmpfs and is skipped, saying why, where `mount` is refused.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareStoreDirectory } from '../../../target-service/src/stores/store-directory.js';
import { cliPath } from '../../helpers/repo.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const isRoot = process.getuid?.() === 0;

function startWithStore(store: string, options: SpawnSyncOptions = {}): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [cliPath(), 'target', 'start', '--port', '0', '--metrics-port', '0', '--store', store], {
    encoding: 'utf8',
    timeout: 15_000,
    ...options,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function assertRefused(result: { status: number | null; output: string }, path: string, reason: RegExp): void {
  assert.notEqual(result.status, null, `the service hung instead of refusing ${path}:\n${result.output}`);
  assert.equal(result.status, 2, result.output);
  assert.ok(result.output.includes(`cannot open the embedded store in ${path}:`), result.output);
  assert.match(result.output, reason);
  assert.match(result.output, /→ pass --store DIR with a writable directory/);
  assert.doesNotMatch(result.output, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}

/** Runs a command, returning false instead of throwing when this sandbox refuses it. */
function tryRun(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('target-service refuses a --store path that cannot hold a database', () => {
  const cleanups: Array<() => void> = [];
  after(() => {
    for (const cleanup of cleanups.reverse()) cleanup();
  });

  it('under /proc (Node 20 recursive mkdir would spin forever)', () => {
    assertRefused(startWithStore('/proc/loadctl-store/x'), '/proc/loadctl-store/x', /\/proc is on proc, a kernel pseudo file system/);
  });

  it('under /sys', () => {
    assertRefused(startWithStore('/sys/loadctl-store'), '/sys/loadctl-store', /\/sys is on sysfs, a kernel pseudo file system/);
  });

  it('a file where a directory is needed (the store itself, or an ancestor)', () => {
    const file = join(makeTempDir(), 'a-file');
    writeFileSync(file, '');
    assertRefused(startWithStore(file), file, new RegExp(`${file} is a file, not a directory \\(ENOTDIR\\)`));
    assertRefused(startWithStore(join(file, 'store')), join(file, 'store'), new RegExp(`${file} is a file, not a directory \\(ENOTDIR\\)`));
  });

  it('no write permission (run as uid 65534 when the tests run as root)', () => {
    const parent = makeTempDir();
    chmodSync(parent, 0o755); // traversable by anyone, writable by its owner only
    const readOnlyForUs = join(parent, 'owned-by-root');
    mkdirSync(readOnlyForUs, { mode: 0o755 });
    if (!isRoot) chmodSync(readOnlyForUs, 0o555);
    const asOther = isRoot ? { uid: 65534, gid: 65534 } : {};
    assertRefused(startWithStore(join(readOnlyForUs, 'store'), asOther), join(readOnlyForUs, 'store'), /cannot create .*: permission denied \(EACCES\)/);
    assertRefused(startWithStore(readOnlyForUs, asOther), readOnlyForUs, /cannot write in .*: permission denied \(EACCES\)/);
  });

  it('a directory nobody may write, root included (chattr +i)', (t) => {
    const dir = join(makeTempDir(), 'immutable');
    mkdirSync(dir);
    if (!tryRun('chattr', ['+i', dir])) return t.skip('chattr +i is not available on this file system or to this user');
    cleanups.push(() => tryRun('chattr', ['-i', dir]));
    assertRefused(startWithStore(dir), dir, /cannot write in .*: permission denied \(EPERM\)/);
    assertRefused(startWithStore(join(dir, 'store')), join(dir, 'store'), /cannot create .*: permission denied \(EPERM\)/);
  });

  it('a read-only file system and a full disk (tiny tmpfs mounts)', (t) => {
    const readOnly = makeTempDir();
    if (!tryRun('mount', ['-t', 'tmpfs', '-o', 'ro,size=4m', 'tmpfs', readOnly])) return t.skip('mount is refused here: cannot make a read-only or full file system');
    cleanups.push(() => tryRun('umount', [readOnly]));
    assertRefused(startWithStore(join(readOnly, 'store')), join(readOnly, 'store'), /the file system is read-only \(EROFS\)/);

    const full = makeTempDir();
    assert.ok(tryRun('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', full]));
    cleanups.push(() => tryRun('umount', [full]));
    writeFileSync(join(full, 'filler'), Buffer.alloc(1900 * 1024));
    assertRefused(startWithStore(join(full, 'store')), join(full, 'store'), /has \d+ bytes free; the store needs at least 1048576 \(ENOSPC\)/);
  });

  it('creates a missing nested directory one level at a time', () => {
    const dir = join(makeTempDir(), 'a', 'b', 'c');
    assert.equal(prepareStoreDirectory(dir), dir);
    assert.ok(existsSync(dir));
    assert.equal(prepareStoreDirectory(dir), dir, 'an existing directory is fine');
  });
});
