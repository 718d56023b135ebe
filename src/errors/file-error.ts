/**
 * What a failed read or write of a path means, in words: messages said `cannot read x: ENOENT`, which
 * names Node's code rather than the problem (issue 17, trip-wires).
 */

/** `does not exist`, `is a directory, not a file`, … — to follow the path in a message. */
export function describeFileError(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ENOTDIR':
    case 'EEXIST': // mkdir -p of a directory whose name a file already holds
      return 'is under a path that is a file, not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'is not accessible (permission denied)';
    case 'EROFS':
      return 'is on a read-only file system';
    case 'ENOSPC':
      return 'cannot be written: the disk is full';
    default:
      return `cannot be used: ${cause instanceof Error ? cause.message : String(cause)}`;
  }
}
