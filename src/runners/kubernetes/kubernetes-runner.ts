/**
 * The kubernetes runner: the same `Runner` as local processes and SSH hosts, on a cluster reached with
 * only a kubeconfig. One run = one Indexed Job (run-manifests.ts) whose pods hold a stock Node image;
 * the agent bundle comes from a ConfigMap; the controller execs `loadctl agent` in each pod over the
 * API server (exec-instance.ts), so the agent protocol, clock alignment and synchronized start are the
 * same as everywhere and nothing in the cluster has to reach the controller.
 *
 * Nothing is left behind: a launch that fails (a permission missing, a pod unschedulable) deletes what
 * it created before it throws, and the Job and ConfigMap are deleted once every instance has exited
 * (normal end, stop, Ctrl-C). A killed controller's Job ends by its activeDeadlineSeconds and is then
 * collected (ttlSecondsAfterFinished); `loadctl kube gc` removes anything sooner.
 */
import { readFile } from 'node:fs/promises';
import type { InstanceProcess, Runner } from '../types.js';
import { requirePermissions } from './access-review.js';
import { startExecInstance, type ExecInstance } from './exec-instance.js';
import { connectKube, type KubeClient } from './kube-client.js';
import type { ResolvedKubernetesConfig } from './kubernetes-config.js';
import { describeApiError, KubernetesError } from './kubernetes-error.js';
import { PodWatch, type RunningPod } from './pod-watch.js';
import { deleteRunObjects } from './run-cleanup.js';
import { preflightFromPod } from './target-preflight.js';
import { AGENT_COMMAND, AGENT_CONTAINER, buildBundleConfigMap, buildRunJob, podCount } from './run-manifests.js';

export interface KubernetesRunnerOptions {
  runId: string;
  /** The plan's duration: bounds the Job's life (activeDeadlineSeconds). */
  durationMs: number;
  /** The single-file agent (dist/loadctl-agent.mjs). */
  bundlePath: string;
  /** Appended to the agent's argv. */
  agentArgs?: string[];
  /** The target, checked from inside the first pod before any agent starts (null: no preflight). */
  preflightUrl?: string | null;
  /** Ctrl-C while pods start: delete what was created and stop waiting. */
  signal?: AbortSignal;
  /** Notices for a person (pods running, cleanup that failed). */
  onNotice?: (message: string) => void;
}

export interface KubernetesRunner extends Runner {
  readonly kind: 'kubernetes';
}

export function createKubernetesRunner(config: ResolvedKubernetesConfig, options: KubernetesRunnerOptions): KubernetesRunner {
  return {
    kind: 'kubernetes',
    async launch(count) {
      const client = connectKube(config);
      // Before anything exists: a missing verb is named now, not half-way through (then nothing is left).
      await requirePermissions(client);
      const bundle = await readFile(options.bundlePath, 'utf8');
      return launchPods(client, config, options, count, bundle);
    },
  };
}

async function launchPods(client: KubeClient, config: ResolvedKubernetesConfig, options: KubernetesRunnerOptions, count: number, bundle: string): Promise<InstanceProcess[]> {
  const pods = podCount(count, config.instancesPerPod);
  const watch = new PodWatch(client, options.runId);
  const cleanUp = () => deleteRunObjects(client, options.runId).catch((error: Error) => options.onNotice?.(`${error.message} (run \`loadctl kube gc\`)`));
  try {
    await watch.start();
    const createdAt = Date.now();
    const job = await create('Job', () => client.batch.createNamespacedJob({ namespace: client.namespace, body: buildRunJob({ runId: options.runId, pods, durationMs: options.durationMs, config }) }));
    // After the Job, so the ConfigMap can name it as owner; kubelets retry the mount until it exists.
    await create('ConfigMap', () => client.core.createNamespacedConfigMap({ namespace: client.namespace, body: buildBundleConfigMap({ runId: options.runId, config }, bundle, { uid: job.metadata!.uid! }) }));
    const running = await watch.untilRunning(pods, config.startTimeoutMs, options.signal);
    // Where start-up time goes on a cluster (scheduling, image pulls) is worth a line of its own.
    options.onNotice?.(`Job ${job.metadata?.name} in namespace ${client.namespace}: ${pods} pod${pods === 1 ? '' : 's'} running after ${((Date.now() - createdAt) / 1000).toFixed(1)} s`);
    if (options.preflightUrl) await preflightFromPod(client, running[0]!.name, options.preflightUrl);
    const instances = await execAgents(client, config, options, running, count);
    watch.onGone((pod, reason) => {
      for (const instance of instances) if (instance.label.startsWith(`${pod}#`)) instance.loseWith(reason);
    });
    void Promise.all(instances.map((instance) => instance.exited)).then(async () => {
      watch.stop();
      await cleanUp();
    });
    return instances;
  } catch (error) {
    watch.stop();
    await cleanUp();
    throw error;
  }
}

/** Starts every agent; if one cannot start, ends those that did (the caller deletes the Job). */
async function execAgents(client: KubeClient, config: ResolvedKubernetesConfig, options: KubernetesRunnerOptions, pods: RunningPod[], count: number): Promise<ExecInstance[]> {
  const started = await Promise.allSettled(
    Array.from({ length: count }, (_, index) => {
      const pod = pods[Math.floor(index / config.instancesPerPod)]!;
      return startExecInstance({
        client,
        pod: pod.name,
        container: AGENT_CONTAINER,
        command: [...AGENT_COMMAND, ...(options.agentArgs ?? [])],
        label: `${pod.name}#${index % config.instancesPerPod}`,
        host: pod.node,
        progressTimeoutMs: config.progressTimeoutMs,
      });
    }),
  );
  const instances = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  if (instances.length === count) return instances;
  for (const instance of instances) instance.kill();
  throw (started.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult).reason;
}

async function create<T>(kind: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    if (cause instanceof KubernetesError) throw cause;
    throw new KubernetesError(`cannot create the run's ${kind}: ${describeApiError(cause)}`, { cause, hint: 'check the namespace and permissions (`loadctl kube check`)' });
  }
}
