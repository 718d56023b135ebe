/**
 * The live fleet view (issue 9): on a terminal, a compact table redrawn in place each second; in CI
 * logs, one line every few seconds. Reads only the fleet timeline, so any runner and engine feed it.
 */
import { formatBytes } from './connection-lines.js';
import Table from 'cli-table3';
import chalk from 'chalk';
import { createLogUpdate } from 'log-update';
import type { FleetSecond } from '../controller/fleet-timeline.js';

export interface LiveViewOptions {
  totalSeconds: number;
  plannedRate: number;
  instances: number;
  stream?: NodeJS.WriteStream;
  /** Seconds between lines when the stream is not a terminal. */
  lineEverySeconds?: number;
}

export interface LiveState {
  latest: FleetSecond;
  /** p95 over the last few seconds, fleet-wide. */
  recentP95Ms: number;
  droppedTotal: number;
  instancesAlive: number;
}

export interface LiveView {
  update(state: LiveState): void;
  /** Leaves the last frame on screen and prints `message` under it. */
  done(message?: string): void;
}

export function createLiveView(options: LiveViewOptions): LiveView {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY) {
    const draw = createLogUpdate(stream);
    return {
      update: (state) => draw(renderFrame(state, options)),
      done: (message) => {
        draw.done();
        if (message) stream.write(`${message}\n`);
      },
    };
  }
  const every = options.lineEverySeconds ?? 5;
  return {
    update: (state) => {
      if ((state.latest.second + 1) % every === 0) stream.write(`${renderLine(state, options)}\n`);
    },
    done: (message) => {
      if (message) stream.write(`${message}\n`);
    },
  };
}

export function renderLine(state: LiveState, options: LiveViewOptions): string {
  const s = state.latest;
  const errors = s.requests > 0 ? (s.errors / s.requests) * 100 : 0;
  return [
    `[${elapsedSeconds(s, options)}/${options.totalSeconds}s]`,
    `rps ${s.requests}/${Math.round(options.plannedRate)}`,
    `errors ${errors.toFixed(1)}%${errorBreakdown(s)}`,
    `p95 ${state.recentP95Ms.toFixed(1)}ms`,
    `dropped ${state.droppedTotal}`,
    `instances ${state.instancesAlive}/${options.instances}`,
    `cpu ${cpuSummary(s)}`,
    `data ${dataSummary(s)}`,
  ].join('  ');
}

function renderFrame(state: LiveState, options: LiveViewOptions): string {
  const s = state.latest;
  const errors = s.requests > 0 ? (s.errors / s.requests) * 100 : 0;
  const table = new Table({ head: ['elapsed', 'planned rps', 'achieved rps', 'errors', 'p95 (5 s)', 'dropped', 'instances', 'gen CPU', 'data out / in'], style: { head: ['cyan'] } });
  const alive = state.instancesAlive < options.instances ? chalk.red(`${state.instancesAlive}/${options.instances}`) : `${state.instancesAlive}/${options.instances}`;
  table.push([
    `${elapsedSeconds(s, options)}/${options.totalSeconds} s`,
    Math.round(options.plannedRate).toLocaleString('en-US'),
    s.requests.toLocaleString('en-US'),
    (errors > 10 ? chalk.red : errors > 5 ? chalk.yellow : (text: string) => text)(`${errors.toFixed(1)} %${errorBreakdown(s)}`),
    `${state.recentP95Ms.toFixed(1)} ms`,
    state.droppedTotal > 0 ? chalk.yellow(String(state.droppedTotal)) : '0',
    alive,
    cpuSummary(s),
    dataSummary(s),
  ]);
  return table.toString();
}

/**
 * Seconds elapsed at the end of this second, never past the plan ("21/20 s"): runTest passes only whole
 * seconds of the schedule (whole-seconds.ts); the clamp keeps any other caller honest too.
 */
function elapsedSeconds(second: FleetSecond, options: LiveViewOptions): number {
  return Math.min(second.second + 1, options.totalSeconds);
}

/** Non-2xx classes that occurred, e.g. ` (429 12, timeout 3)`. */
function errorBreakdown(second: FleetSecond): string {
  const parts = Object.entries(second.outcomes)
    .filter(([outcome, count]) => outcome !== '2xx' && count > 0)
    .map(([outcome, count]) => `${outcome} ${count}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** `4.13 MB/s / 410 kB/s` (sent / received that second), or '-' when no instance counts bytes. */
function dataSummary(second: FleetSecond): string {
  if (second.bytesSent === null || second.bytesReceived === null) return '-';
  return `${formatBytes(second.bytesSent)}/s / ${formatBytes(second.bytesReceived)}/s`;
}

function cpuSummary(second: FleetSecond): string {
  const values = Object.values(second.cpuPercent);
  if (values.length === 0) return '-';
  return `max ${Math.round(Math.max(...values))} %`;
}
