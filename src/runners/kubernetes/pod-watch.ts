/**
 * Watches the pods of one run: first until every pod runs (failing fast, with the scheduler's or the
 * kubelet's reason, when one cannot be scheduled or its image pulled), then for the rest of the run, so
 * a pod that fails, is evicted or deleted turns into a lost instance at once instead of a hung run
 * (k6-operator #222, #898).
 */
import { Watch, type V1Pod } from '@kubernetes/client-node';
import type { KubeClient } from './kube-client.js';
import { describeApiError, KubernetesError } from './kubernetes-error.js';
import { describeBlocked, goneReason, isRunning } from './pod-state.js';
import { COMPLETION_INDEX_LABEL, runSelector } from './run-manifests.js';

export interface RunningPod {
  name: string;
  /** The node it runs on. */
  node: string;
  index: number;
}

export class PodWatch {
  private readonly pods = new Map<string, V1Pod>();
  private readonly listeners = new Set<() => void>();
  private abort: AbortController | null = null;
  private stopped = false;
  private failure: string | null = null;

  constructor(private readonly client: KubeClient, private readonly runId: string) {}

  /** Starts watching (every pod of the run, from now on). */
  async start(): Promise<void> {
    const watch = new Watch(this.client.config);
    const path = `/api/v1/namespaces/${this.client.namespace}/pods`;
    try {
      this.abort = await watch.watch(path, { labelSelector: runSelector(this.runId) }, (type, pod: V1Pod) => this.update(type, pod), (error) => this.ended(error));
    } catch (cause) {
      throw new KubernetesError(`cannot watch pods in namespace ${this.client.namespace}: ${describeApiError(cause)}`, { cause, hint: 'check `pods` watch in the namespace (`loadctl kube check`)' });
    }
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }

  /** Resolves once `count` pods run; rejects naming the reason as soon as one cannot. */
  untilRunning(count: number, timeoutMs: number, signal?: AbortSignal): Promise<RunningPod[]> {
    return new Promise((resolve, reject) => {
      const finish = (error: Error | null, pods?: RunningPod[]) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(pods!);
      };
      const check = () => {
        const blocked = this.failure ?? [...this.pods.values()].map(describeBlocked).find((reason) => reason !== null) ?? null;
        if (blocked) return finish(new KubernetesError(`the run's pods cannot start: ${blocked}`, { hint: hintFor(blocked) }));
        const running = [...this.pods.values()].filter(isRunning);
        if (running.length >= count) finish(null, running.map(toRunningPod).sort((a, b) => a.index - b.index).slice(0, count));
      };
      const onAbort = () => finish(new KubernetesError('interrupted while the pods were starting'));
      const timer = setTimeout(() => finish(new KubernetesError(`the run's pods were not all running after ${Math.round(timeoutMs / 1000)} s: ${this.describeAll(count)}`, { hint: 'raise kubernetes.startTimeout, or look at the pods’ events (`kubectl describe pod`)' })), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.listeners.add(check);
      check();
    });
  }

  /** Calls `listener(pod, reason)` once for each running pod that is then deleted, evicted or fails. */
  onGone(listener: (pod: string, reason: string) => void): void {
    const told = new Set<string>();
    const check = () => {
      for (const [name, pod] of this.pods) {
        const reason = goneReason(pod);
        if (reason && !told.has(name)) {
          told.add(name);
          listener(name, reason);
        }
      }
    };
    this.listeners.add(check);
    // A pod may have gone between running and now (while the agents were exec'd): say so at once.
    check();
  }

  private update(type: string, pod: V1Pod): void {
    const name = pod.metadata?.name;
    if (!name) return;
    // A DELETED pod is kept, marked, so `onGone` can still say so.
    this.pods.set(name, type === 'DELETED' ? { ...pod, metadata: { ...pod.metadata, deletionTimestamp: pod.metadata?.deletionTimestamp ?? new Date() } } : pod);
    for (const listener of [...this.listeners]) listener();
  }

  /** The server ends watches after a while: watch again (existing pods come back as ADDED). */
  private ended(error: unknown): void {
    if (this.stopped) return;
    setTimeout(() => {
      if (!this.stopped) void this.start().catch((cause: Error) => (this.failure = cause.message));
    }, error ? 1000 : 0).unref();
  }

  private describeAll(count: number): string {
    const states = [...this.pods.values()].map((pod) => `${pod.metadata?.name} ${pod.status?.phase ?? 'unknown'}`);
    return `${states.length} of ${count} pod(s) seen${states.length ? ` (${states.join(', ')})` : ''}`;
  }
}

function toRunningPod(pod: V1Pod): RunningPod {
  return { name: pod.metadata!.name!, node: pod.spec?.nodeName ?? 'unknown', index: Number(pod.metadata?.labels?.[COMPLETION_INDEX_LABEL] ?? 0) };
}

function hintFor(reason: string): string {
  if (reason.includes('unschedulable')) return 'fix kubernetes.nodeSelector, tolerations or resources so a node fits, or add nodes; nothing was left in the cluster';
  if (/Image|image/.test(reason)) return 'check kubernetes.image and imagePullPolicy (the image needs Node ≥ 20 as `node`); nothing was left in the cluster';
  return 'look at the pod’s events (`kubectl describe pod`); nothing was left in the cluster';
}
