/** Ctrl-C and SIGTERM for the commands that drive a fleet (`run`, `phase`): stop gracefully, then report. */
import { EXIT_CODES } from '../../contract/loadctl-error.js';

export interface Interrupt {
  /** Aborted by the first SIGINT or SIGTERM: the core stops every instance and still returns its (partial) report. */
  signal: AbortSignal;
  /** Stops listening; call it once the core has returned. */
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM until disposed. The first one aborts `signal` and says on stderr what
 * is being stopped (`stopping`); a second quits at once (exit 130) — instances run in their own process
 * group and stop when their stdin closes, so none outlives the controller.
 */
export function listenForInterrupt(stopping: string): Interrupt {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(EXIT_CODES.interrupted);
    process.stderr.write(`\nloadctl: ${stopping} (Ctrl-C again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
