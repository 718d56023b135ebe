/**
 * One instance on a host: an ssh2 exec channel (no pty) running the agent under a small POSIX sh
 * wrapper, so nothing of the instance outlives the controller:
 *   - it prints its process group id (sshd makes the session's shell a group leader) on stderr, and
 *     `kill()` ends that whole group with a second exec (sshd's `signal` channel request is refused
 *     for some logins, e.g. root, so loadctl does not rely on it);
 *   - a watchdog kills the group within ~1 s once the sshd process serving the connection is gone
 *     (controller killed, network lost);
 *   - the agent itself exits when its stdin (the channel) closes.
 * Every word reaches the wrapper as a positional argument, quoted once (`quoteShellArg`).
 */
import { constants } from 'node:os';
import { PassThrough } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import type { InstanceExit, InstanceProcess } from '../types.js';
import { envAssignments } from './shell-quote.js';
import type { SshSession } from './ssh-session.js';

const STDERR_TAIL_BYTES = 4000;
const PGID_LINE = /^loadctl-pgid=(\d+)\n/;

/** The wrapper: `sh -c WRAPPER loadctl-instance <env count> NAME=value… argv…`. */
const WRAPPER = [
  'n=$1; shift',
  'while [ "$n" -gt 0 ]; do export "$1"; shift; n=$((n - 1)); done',
  'echo "loadctl-pgid=$$" >&2',
  'sshd=$PPID',
  // Alive = exists and is not a zombie (an unreaped sshd would otherwise look alive forever).
  'alive() { if [ -d /proc/1 ]; then [ -r "/proc/$1/stat" ] && read -r _ _ s _ < "/proc/$1/stat" && [ "$s" != Z ];',
  '  else s=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$s" ] && [ "${s#Z}" = "$s" ]; fi; }',
  '( while alive "$sshd"; do sleep 1; done; kill -KILL 0 ) </dev/null >/dev/null 2>&1 &',
  'watchdog=$!',
  '"$@"',
  'code=$?',
  'kill "$watchdog" 2>/dev/null',
  'exit "$code"',
].join('\n');

/** The argv (before quoting) that runs `command` on a host under the wrapper, with `env` set. */
export function wrapInstanceCommand(command: readonly string[], env: Readonly<Record<string, string>> = {}): string[] {
  const assignments = envAssignments(env);
  // `exec` replaces the login shell, so the wrapper's parent is the sshd process of this connection.
  return ['exec', 'sh', '-c', WRAPPER, 'loadctl-instance', String(assignments.length), ...assignments, ...command];
}

export interface RemoteInstanceOptions {
  session: SshSession;
  label: string;
  command: readonly string[];
  env?: Readonly<Record<string, string>>;
}

/** Starts one instance's channel and returns it as an InstanceProcess. */
export async function startRemoteInstance(options: RemoteInstanceOptions): Promise<InstanceProcess> {
  const { session } = options;
  const channel = await session.openChannel(wrapInstanceCommand(options.command, options.env));
  const stderr = new PassThrough();
  const state = { pgid: null as number | null, killRequested: false, stderrTail: '' };
  // Kill the group first, then close the channel: closing first would let the agent exit on EOF
  // and hide that it was killed. Without a pgid yet (or a connection), closing is all there is.
  const killGroup = () => {
if (state.pgid === null || session.isClosed) return void channel.close();
    void session
      .exec(['kill', '-KILL', '--', `-${state.pgid}`], { timeoutMs: 5_000 })
      .catch(() => undefined)
      .finally(() => channel.close());
  };
  forwardStderr(channel, stderr, state, () => state.killRequested && killGroup());
  const exited = watchExit(channel, session, state);
  return {
    label: options.label,
    host: session.host.host,
    stdin: channel,
    stdout: channel,
    stderr,
    exited,
    kill: () => {
      state.killRequested = true;
      killGroup();
    },
  };
}

/** Copies the channel's stderr, minus the wrapper's pgid line, and keeps a tail for messages. */
function forwardStderr(channel: ClientChannel, out: PassThrough, state: { pgid: number | null; stderrTail: string }, onPgid: () => void): void {
  let head: string | null = '';
  channel.stderr.on('data', (chunk: Buffer) => {
    let text = chunk.toString('utf8');
    if (head !== null) {
      head += text;
      const match = PGID_LINE.exec(head);
      if (!match && !head.includes('\n') && head.length < 64) return;
      text = match ? head.slice(match[0].length) : head;
      if (match) state.pgid = Number(match[1]);
      head = null;
      if (match) onPgid();
    }
    state.stderrTail = (state.stderrTail + text).slice(-STDERR_TAIL_BYTES);
    if (text) out.write(text);
  });
  channel.stderr.on('end', () => out.end());
}

/** Settles when the channel closes (or the connection dies): exit code, or signal, and the stderr tail. */
function watchExit(channel: ClientChannel, session: SshSession, state: { stderrTail: string }): Promise<InstanceExit> {
  return new Promise((resolve) => {
    let exitCode: number | null = null;
    let signal: string | null = null;
    let connectionLost: string | null = null;
    channel.on('exit', (code: number | null, signalName?: string) => {
      exitCode = code ?? null;
      signal = signalName ? `SIG${signalName.replace(/^SIG/, '')}` : null;
      // The wrapper's shell reports an agent killed by signal N as 128 + N.
      if (exitCode !== null && exitCode > 128 && exitCode <= 128 + 64) {
        const name = Object.entries(constants.signals).find(([, number]) => number === exitCode! - 128)?.[0];
        if (name) [exitCode, signal] = [null, name];
      }
    });
    session.onClose((reason) => (connectionLost = reason));
    channel.on('close', () => {
      const lost = connectionLost && exitCode === null && signal === null ? `\nssh ${reason(session, connectionLost)}` : '';
      resolve({ exitCode, signal, stderrTail: `${state.stderrTail}${lost}` });
    });
  });
}

function reason(session: SshSession, text: string): string {
  return `${session.host.host}: ${text}`;
}
