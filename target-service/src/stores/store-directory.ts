/**
 * Checks, before the SQLite worker starts, that a `--store` directory can hold a database, and
 * creates it. A path that cannot (under /proc or /sys, below a file, read-only, no permission, a
 * full disk) fails at once with the path and the reason. Node 20's `mkdirSync(…, { recursive: true })`
 * loops forever on /proc/x (mkdir answers ENOENT, the parent exists, it retries), so directories are
 * created one level at a time here.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, statSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Kernel pseudo file systems (statfs f_type, linux/magic.h): they exist but cannot hold a database file. */
const PSEUDO_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x62656570, 'configfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0x1cd1, 'devpts'],
]);

/** Below this much free space the store could not take even a few seconds of events. */
export const MIN_FREE_BYTES = 1024 * 1024;
/** Written and removed once, so a read-only or full file system is found now, not at the first flush. */
const PROBE_BYTES = 64 * 1024;

/** Why a directory cannot hold the store; `code` is the errno name when there is one. */
export class StoreDirectoryProblem extends Error {
  constructor(
    readonly directory: string,
    message: string,
    readonly code?: string,
  ) {
    super(code ? `${message} (${code})` : message);
  }
}

/** Creates `directory` if needed and proves it writable; returns its absolute path or throws StoreDirectoryProblem. */
export function prepareStoreDirectory(directory: string): string {
  const dir = resolve(directory);
  const { existing, missing } = splitAtExistingAncestor(dir);
  refusePseudoFileSystem(dir, existing);
  let parent = existing;
  for (const name of missing) {
    parent = join(parent, name);
    makeOneDirectory(dir, parent);
  }
  checkFreeSpace(dir);
  probeWrite(dir);
  return dir;
}

/** The deepest ancestor that exists (it must be a directory) and the names below it still to create. */
function splitAtExistingAncestor(dir: string): { existing: string; missing: string[] } {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(current).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: an ancestor is a file; walk up to it to name it.
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(current) !== current) {
        missing.unshift(current.slice(dirname(current).length).replace(/^\//, ''));
        current = dirname(current);
        continue;
      }
      throw new StoreDirectoryProblem(dir, `cannot look at ${current}: ${(error as Error).message}`, code);
    }
    if (!isDirectory) throw new StoreDirectoryProblem(dir, `${current} is a file, not a directory`, 'ENOTDIR');
    return { existing: current, missing };
  }
}

function refusePseudoFileSystem(dir: string, existing: string): void {
  const kind = PSEUDO_FILE_SYSTEMS.get(statfsSync(existing).type);
  if (kind) throw new StoreDirectoryProblem(dir, `${existing} is on ${kind}, a kernel pseudo file system that cannot hold a database`);
}

function makeOneDirectory(dir: string, path: string): void {
  try {
    mkdirSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(path).isDirectory()) return; // created meanwhile by another process
    throw new StoreDirectoryProblem(dir, `cannot create ${path}: ${describeErrno(code, error as Error)}`, code);
  }
}

function checkFreeSpace(dir: string): void {
  const stats = statfsSync(dir);
  const free = stats.bavail * stats.bsize;
  if (free < MIN_FREE_BYTES) {
    throw new StoreDirectoryProblem(dir, `the file system of ${dir} has ${free} bytes free; the store needs at least ${MIN_FREE_BYTES}`, 'ENOSPC');
  }
}

function probeWrite(dir: string): void {
  const probe = join(dir, `.write-probe-${process.pid}`);
  let fd: number | undefined;
  try {
    fd = openSync(probe, 'w');
    writeSync(fd, Buffer.alloc(PROBE_BYTES));
    fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StoreDirectoryProblem(dir, `cannot write in ${dir}: ${describeErrno(code, error as Error)}`, code);
  } finally {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(probe);
    } catch {
      // never created, or already gone: nothing to clean up
    }
  }
}

function describeErrno(code: string | undefined, error: Error): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENOENT':
      return 'the file system refuses new entries here';
    default:
      return error.message;
  }
}
