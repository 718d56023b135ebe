/**
 * `loadctl engine run`: one native instance in the foreground — the simplest way to use the engine
 * (no controller, no agent process). Plans the scenario as `run` does (the resolved config), runs it as
 * instance 0 of 1 with a live progress line, returns the InstanceResult.
 */
import type { ConfigFlags } from '../config/config-types.js';
import { loadConfig } from '../config/load-config.js';
import type { InstanceResult } from '../protocol/instance-result.js';
import { newRunId } from '../controller/run-test.js';
import { loadScenario } from '../scenario/load-scenario.js';
import { planOfConfig } from '../scenario/plan-of-config.js';
import { splitPlan } from '../split/split-plan.js';
import { now } from '../engines/engine-clock.js';
import { NativeInstance } from '../engines/native/native-instance.js';
import { checkOutputFiles } from '../report/write-reports.js';
import { readTlsMaterial } from '../controller/target-tls.js';

export interface RunEngineOptions {
  scenario: string;
  configPath?: string;
  flags: ConfigFlags;
  env?: Record<string, string | undefined>;
  workers?: number;
  rawSamplesFile?: string;
  /** `--out`: checked before the run (the command writes the result there). */
  out?: string;
  signal?: AbortSignal;
  progress: (line: string) => void;
}

export async function runEngine(options: RunEngineOptions): Promise<InstanceResult> {
  const config = loadConfig({ ...(options.configPath ? { configPath: options.configPath } : {}), flags: { ...options.flags, instances: 1 }, env: options.env ?? process.env });
  const plan = planOfConfig(await loadScenario(options.scenario), config);
  await checkOutputFiles([options.out, options.rawSamplesFile]);
  // https: the CA and client certificate as a run ships them to its agents (no preflight: the engine's own outcomes say it).
  const tls = await readTlsMaterial(config.target.tls);
  const [instancePlan] = splitPlan(plan, 1, newRunId());
  const instance = await NativeInstance.prepare(instancePlan!, {
    ...(options.workers ? { workers: options.workers } : {}),
    ...(options.rawSamplesFile ? { rawSamplesFile: options.rawSamplesFile } : {}),
    ...(tls ? { tls } : {}),
  });
  const total = Math.ceil(plan.durationMs / 1000);
  let sent = 0;
  let dropped = 0;
  instance.onProgress((sample) => {
    sent += sample.requests;
    dropped += sample.droppedIterations;
    const errors = sample.requests > 0 ? ((sample.requests - sample.outcomes['2xx']) / sample.requests) * 100 : 0;
    options.progress(
      `[${sample.second + 1}/${total}s] ${sample.requests}/${Math.round(plan.totalRate)} req/s  p95 ${sample.p95Ms.toFixed(1)} ms  errors ${errors.toFixed(1)} %  lag p99 ${sample.scheduleLagP99Ms.toFixed(1)} ms  dropped ${dropped}  cpu ${Math.round(sample.cpuPercent)} %  total ${sent}`,
    );
  });
  options.signal?.addEventListener('abort', () => instance.stop(), { once: true });
  instance.start(now() + 200);
  return instance.result();
}
