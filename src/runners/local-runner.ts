/** Local instances: `loadctl agent` child processes on this machine, started with execa. */
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { InstanceExit, InstanceProcess, Runner } from './types.js';

/** The compiled CLI this process runs from (dist/src/cli.js), so children run the same build. */
const CLI_ENTRY = fileURLToPath(new URL('../cli.js', import.meta.url));
const STDERR_TAIL_BYTES = 4000;

export interface LocalRunnerOptions {
  /** Extra arguments for `loadctl agent` (e.g. `--workers 2`). */
  agentArgs?: string[];
}

export function createLocalRunner(options: LocalRunnerOptions = {}): Runner {
  return {
    kind: 'local',
    async launch(count) {
      return Array.from({ length: count }, (_, index) => startLocalAgent(index, options.agentArgs ?? []));
    },
  };
}

function startLocalAgent(index: number, agentArgs: string[]): InstanceProcess {
  const child = execa(process.execPath, [CLI_ENTRY, 'agent', ...agentArgs], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    // Its own process group: a terminal's Ctrl-C reaches only the controller, which stops every
    // instance through the protocol (and the agent exits by itself if its stdin closes).
    detached: true,
    cleanup: true,
  });
  let stderrTail = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
  });
  const exited: Promise<InstanceExit> = child.then(
    (result) => ({ exitCode: result.exitCode ?? null, signal: result.signal ?? null, stderrTail }),
    (error: { exitCode?: number; signal?: string }) => ({ exitCode: error.exitCode ?? null, signal: error.signal ?? null, stderrTail }),
  );
  return {
    label: `local#${index}`,
    host: hostname(),
    stdin: child.stdin!,
    stdout: child.stdout!,
    stderr: child.stderr!,
    exited,
    kill: () => {
      // The whole process group: a k6 agent's k6 (and anything else it started) goes with it.
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    },
  };
}
