/**
 * The worker-thread side of the native engine: builds its LoadLoop from `workerData`, opens its
 * connections, reports `ready`, runs from the start instant it is given, posts finished seconds as
 * it goes, and its figures at the end. One per core by default (native-instance.ts starts them).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { ConnectionFigures, LatencySummary, LoadFigures, TimelineSecond } from '../../protocol/instance-result.js';
import { now } from '../engine-clock.js';
import { LoadLoop, type LoadLoopOptions } from './load-loop.js';

export interface LoadWorkerData extends Omit<LoadLoopOptions, 'onRawSample'> {
  rawSamplesFile?: string;
}

export type WorkerSecond = TimelineSecond & { scheduleLagP99Ms: number };

export type ToWorker = { type: 'start'; startAt: number } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; bodyBytes: Record<string, { min: number; max: number }> }
  | { type: 'seconds'; seconds: WorkerSecond[]; inFlight: number }
  | {
      type: 'result';
      overall: LoadFigures;
      subScenarios: Record<string, LoadFigures>;
      scheduleLag: LatencySummary;
      firstSendAt: number | null;
      plannedIterations: number;
      seconds: WorkerSecond[];
      connections: ConnectionFigures;
    };

const PROGRESS_EVERY_MS = 200;

/** Runs the worker; called by the worker entry when not on the main thread. */
export async function runLoadWorker(): Promise<void> {
  const port = parentPort!;
  const data = workerData as LoadWorkerData;
  const raw: WriteStream | null = data.rawSamplesFile ? createWriteStream(data.rawSamplesFile) : null;
  // Bench-only switch, read here so no user-facing option carries it (bench/engine-instrumentation.ts).
  const instrumentation = process.env.LOADCTL_BENCH_INSTRUMENTATION === 'count' ? 'count' : 'full';
  const loop = new LoadLoop({ ...data, instrumentation, ...(raw ? { onRawSample: (line: string) => raw.write(`${line}\n`) } : {}) });
  const post = (message: FromWorker) => port.postMessage(message);
  await loop.warmUp();
  post({ type: 'ready', bodyBytes: loop.bodyBytes() });
  port.on('message', (message: ToWorker) => {
    if (message.type === 'stop') loop.stop();
    if (message.type !== 'start') return;
    const waitMs = Math.max(0, message.startAt - now());
    setTimeout(() => loop.start(message.startAt), waitMs);
    const progress = setInterval(() => {
      const seconds = loop.recorder.takeSeconds(loop.recorder.secondOf(now())) as WorkerSecond[];
      if (seconds.length > 0) post({ type: 'seconds', seconds, inFlight: loop.currentInFlight });
    }, PROGRESS_EVERY_MS);
    void loop.done.then(async () => {
      clearInterval(progress);
      if (raw) await new Promise<void>((resolve) => raw.end(resolve));
      const recorder = loop.recorder;
      // Taking the last seconds first: the overall and sub-scenario histograms are sums of the seconds taken.
      const seconds = recorder.takeSeconds(Infinity) as WorkerSecond[];
      post({
        type: 'result',
        overall: recorder.overall.figures(),
        subScenarios: recorder.subScenarioFigures(),
        scheduleLag: recorder.scheduleLag.summary(),
        firstSendAt: recorder.firstSendAt,
        plannedIterations: loop.plannedIterations,
        seconds,
        connections: loop.connections.figures(),
      });
    });
  });
}
