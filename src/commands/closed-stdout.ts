/**
 * `loadctl run --help | head -3`: the reader closed the pipe, so the next write to stdout fails with
 * EPIPE, which Node raises as an unhandled 'error' event (a stack trace). A shell tool stops quietly
 * instead. Instances stop on their own when their stdin closes (interrupt.ts), so exiting at once leaves none.
 */
export function exitQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}
