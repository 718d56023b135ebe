/** Helpers for CLI runs on the test control plane (kube-cluster.ts): a config file, what a run left, timing. */
import type { ChildProcess } from 'node:child_process';
import { readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { KubeCluster } from './kube-cluster.js';
import { pidsMatching } from './processes.js';
import { startCli } from './run-cli.js';

/** A loadctl.config.yaml holding only a `kubernetes` section. */
export function writeKubeConfigFile(dir: string, name: string, section: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, stringify({ kubernetes: { image: 'node:22-slim', startTimeout: '60s', ...section } }));
  return path;
}

/** Every Job, pod and ConfigMap loadctl made in the test namespace (read as admin). */
export async function leftovers(cluster: KubeCluster): Promise<{ jobs: string[]; pods: string[]; configMaps: string[] }> {
  const labelSelector = 'app.kubernetes.io/managed-by=loadctl';
  const namespace = cluster.namespace;
  const { BatchV1Api } = await import('@kubernetes/client-node');
  const batch = cluster.admin.config.makeApiClient(BatchV1Api);
  const [jobs, pods, configMaps] = await Promise.all([
    batch.listNamespacedJob({ namespace, labelSelector }),
    cluster.admin.core.listNamespacedPod({ namespace, labelSelector }),
    cluster.admin.core.listNamespacedConfigMap({ namespace, labelSelector }),
  ]);
  const names = (list: { items: { metadata?: { name?: string } }[] }) => list.items.map((item) => item.metadata?.name ?? '?');
  return { jobs: names(jobs), pods: names(pods), configMaps: names(configMaps) };
}

export interface TimedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** CLI start → its "started N instances" line (pods scheduled, agents exec'd, prepared, clocks aligned); null if never. */
  startedAfterMs: number | null;
  /** CLI start → each start-up step line (`launching`, pods `running`, `preparing`, `aligning`, `started`), for the measurements. */
  stepsAfterMs: Record<string, number>;
}

type StartStep = 'launching' | 'running' | 'preparing' | 'aligning' | 'started';

/** Runs the CLI; once it reaches `step` (default: the instances started), calls `onStep` (to delete a pod, press Ctrl-C…). */
export async function runUntilStarted(args: string[], onStep?: (child: ChildProcess) => Promise<void>, step: StartStep = 'started'): Promise<TimedRun> {
  const begun = Date.now();
  const run = startCli(args);
  const stepsAfterMs: Record<string, number> = {};
  let seen = '';
  let action: Promise<void> | null = null;
  run.child.stderr!.on('data', (chunk: Buffer) => {
    if (stepsAfterMs.started !== undefined) return;
    seen += chunk.toString('utf8');
    for (const [, name] of seen.matchAll(/^loadctl: (?:Job \S+ in namespace \S+: \d+ pods? )?(launching|running|preparing|aligning|started) /gm)) stepsAfterMs[name!] ??= Date.now() - begun;
    if (stepsAfterMs[step] !== undefined && onStep && action === null) action = onStep(run.child);
  });
  const result = await run.done;
  await action;
  return { ...result, startedAfterMs: stepsAfterMs.started ?? null, stepsAfterMs };
}

/** The agents kwok runs for exec'd pods: local processes whose working directory is the pod root. */
export function agentsIn(podRoot: string): number[] {
  return pidsMatching('loadctl-agent.mjs').filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`) === podRoot;
    } catch {
      return false;
    }
  });
}
