/**
 * One instance in a pod: `loadctl agent` started over the API server's `pods/exec` WebSocket, carried
 * as an InstanceProcess so the controller speaks the agent protocol to it as to a local process
 * (exec-socket.ts carries the frames). Mid-run it is watched by a progress heartbeat; ending it kills
 * the agent in the container, not just the stream.
 */
import { PassThrough, Writable } from 'node:stream';
import WebSocket from 'ws';
import type { InstanceExit, InstanceProcess } from '../types.js';
import { CHANNEL, openExecSocket, runExecOnce, type ExecTarget } from './exec-socket.js';
import { ProgressHeartbeat } from './progress-heartbeat.js';

const STDERR_TAIL_BYTES = 4000;
/** How long the kill exec, then the stream's own end, may take before the stream is cut. */
const KILL_TIMEOUT_MS = 5000;
/** The controller's start line (src/agent/protocol.ts): arms the heartbeat. */
const START = Buffer.from('{"type":"start"');

export interface ExecInstanceOptions extends ExecTarget {
  command: readonly string[];
  label: string;
  host: string;
  /** Once the run has started, how long the agent may send nothing before the instance is lost. */
  progressTimeoutMs: number;
}

/** An exec'd instance; `loseWith` ends it saying why (its pod was deleted, evicted or failed). */
export interface ExecInstance extends InstanceProcess {
  loseWith(reason: string): void;
}

/** Opens the exec stream; rejects (with the API server's reason) if the exec is refused. */
export async function startExecInstance(options: ExecInstanceOptions): Promise<ExecInstance> {
  const socket = await openExecSocket(options, options.command);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const state = { stderrTail: '', status: null as ExecStatus | null, lostReason: null as string | null, pid: null as number | null };
  const end = endProcess(options, socket, state);
  const heartbeat = new ProgressHeartbeat(options.progressTimeoutMs, (silentMs) => {
    end(`no progress from the agent for ${Math.round(silentMs / 1000)} s while its pod still looks alive (a frozen pod or an unreachable node)`);
  });
  socket.on('message', (data: Buffer) => {
    if (data[0] === CHANNEL.stdout) {
      heartbeat.saw(data);
      state.pid ??= helloPid(data);
    }
    routeFrame(data, { stdout, stderr, state });
  });
  const exited = new Promise<InstanceExit>((resolve) => {
    socket.on('error', (error) => (state.lostReason ??= `exec stream: ${error.message}`));
    socket.on('close', () => {
      heartbeat.stop();
      stdout.end();
      stderr.end();
      resolve(exitOf(state));
    });
  });
  const stdin = stdinOf(socket, (chunk) => chunk.includes(START) && heartbeat.arm());
  return { label: options.label, host: options.host, stdin, stdout, stderr, exited, kill: () => end(null), loseWith: (reason) => end(reason) };
}

/**
 * Ends the agent for real, then its stream: closing the stream alone leaves an exec'd process running
 * in the container (only its stdin closes, and a kubelet stand-in may not even pass that on). So kill
 * it by the pid its hello gave, with a second exec of the image's own `node`; the stream then ends
 * with the process. Without a pid, or when the pod is gone (and took the process with it), close.
 */
function endProcess(target: ExecTarget, socket: WebSocket, state: { lostReason: string | null; pid: number | null }): (reason: string | null) => void {
  let ending = false;
  return (reason) => {
    if (reason !== null) state.lostReason ??= reason;
    if (ending) return;
    ending = true;
    if (state.pid === null) return void socket.terminate();
    const script = `try { process.kill(${state.pid}, 'SIGKILL') } catch {}`;
    void runExecOnce(target, ['node', '-e', script], KILL_TIMEOUT_MS).finally(() => setTimeout(() => socket.terminate(), KILL_TIMEOUT_MS).unref());
  };
}

/** The agent's pid from its hello line (the first thing it writes). */
function helloPid(frame: Buffer): number | null {
  const match = /"type":"hello".*?"pid":(\d+)/.exec(frame.toString('utf8'));
  return match ? Number(match[1]) : null;
}

interface ExecStatus {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

function routeFrame(data: Buffer, sinks: { stdout: PassThrough; stderr: PassThrough; state: { stderrTail: string; status: ExecStatus | null } }): void {
  if (data.length === 0) return;
  const body = data.subarray(1);
  switch (data[0]) {
    case CHANNEL.stdout:
      sinks.stdout.write(body);
      break;
    case CHANNEL.stderr:
      sinks.state.stderrTail = (sinks.state.stderrTail + body.toString('utf8')).slice(-STDERR_TAIL_BYTES);
      sinks.stderr.write(body);
      break;
    case CHANNEL.status:
      try {
        sinks.state.status = JSON.parse(body.toString('utf8')) as ExecStatus;
      } catch {
        sinks.state.status = { status: 'Failure', message: body.toString('utf8') };
      }
      break;
    default:
      // CLOSE of a stream, or a channel we did not ask for: nothing to carry.
      break;
  }
}

/** Exit code from the Status frame (`NonZeroExitCode` carries it as a cause); no Status = the stream was cut. */
function exitOf(state: { stderrTail: string; status: ExecStatus | null; lostReason: string | null }): InstanceExit {
  const { status } = state;
  if (state.lostReason !== null) return { exitCode: null, signal: 'SIGKILL', stderrTail: `${state.stderrTail.trimEnd()}\n${state.lostReason}` };
  if (status?.status === 'Success') return { exitCode: 0, signal: null, stderrTail: state.stderrTail };
  const code = status?.details?.causes?.find((cause) => cause.reason === 'ExitCode')?.message;
  if (code !== undefined && /^\d+$/.test(code)) return { exitCode: Number(code), signal: null, stderrTail: state.stderrTail };
  const why = status?.message ?? 'the exec stream closed without an exit status';
  return { exitCode: null, signal: 'SIGKILL', stderrTail: `${state.stderrTail.trimEnd()}\n${why}` };
}

/** The agent's stdin: each write is one stdin frame; ending it half-closes stdin (v5) or closes the socket. */
function stdinOf(socket: WebSocket, onWrite: (chunk: Buffer) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      onWrite(chunk);
      if (socket.readyState !== WebSocket.OPEN) return callback(new Error('exec stream closed'));
      socket.send(Buffer.concat([Buffer.from([CHANNEL.stdin]), chunk]), callback);
    },
    final(callback) {
      if (socket.readyState !== WebSocket.OPEN) return callback();
      if (socket.protocol === 'v5.channel.k8s.io') socket.send(Buffer.from([CHANNEL.close, CHANNEL.stdin]), () => callback());
      else {
        socket.close();
        callback();
      }
    },
  });
}
