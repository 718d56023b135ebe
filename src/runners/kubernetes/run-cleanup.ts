/**
 * Deleting a run's objects (or every run's, for `loadctl kube gc`) by label, and waiting until they
 * are gone: the Job with foreground propagation, so it disappears only after its pods have.
 */
import type { KubeClient } from './kube-client.js';
import { apiStatusCode, describeApiError, KubernetesError } from './kubernetes-error.js';
import { runSelector } from './run-manifests.js';

/** How long deleting waits for the Job's pods to be gone. */
const GONE_TIMEOUT_MS = 30_000;
const POLL_MS = 250;

export interface DeletedObjects {
  jobs: string[];
  configMaps: string[];
}

/** Deletes the run's Job and ConfigMap and waits until the Job (and so its pods) is gone. */
export function deleteRunObjects(client: KubeClient, runId: string): Promise<DeletedObjects> {
  return deleteByLabel(client, runId);
}

/**
 * `kube gc`: every Job and ConfigMap loadctl made in the namespace (null runId), or one run's; with
 * `olderThanMs`, only those created longer ago than that (so a gc in a shared namespace spares the runs
 * still going).
 */
export async function deleteByLabel(client: KubeClient, runId: string | null, options: { olderThanMs?: number } = {}): Promise<DeletedObjects> {
  const labelSelector = runSelector(runId);
  const namespace = client.namespace;
  const createdBefore = Date.now() - (options.olderThanMs ?? 0);
  const old = (item: { metadata?: { name?: string; creationTimestamp?: Date } }) => (item.metadata?.creationTimestamp?.getTime() ?? 0) <= createdBefore;
  try {
    const [jobs, configMaps] = await Promise.all([client.batch.listNamespacedJob({ namespace, labelSelector }), client.core.listNamespacedConfigMap({ namespace, labelSelector })]);
    const jobNames = jobs.items.filter(old).map((job) => job.metadata!.name!);
    const configMapNames = configMaps.items.filter(old).map((configMap) => configMap.metadata!.name!);
    await Promise.all([
      ...jobNames.map((name) => ignoreGone(client.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Foreground' }))),
      ...configMapNames.map((name) => ignoreGone(client.core.deleteNamespacedConfigMap({ name, namespace }))),
    ]);
    await waitUntilGone(client, labelSelector, jobNames);
    return { jobs: jobNames, configMaps: configMapNames };
  } catch (cause) {
    if (cause instanceof KubernetesError) throw cause;
    throw new KubernetesError(`could not delete loadctl's objects (${labelSelector}) in namespace ${namespace}: ${describeApiError(cause)}`, { cause });
  }
}

/** Waits until none of the named Jobs is listed any more (foreground: their pods went first). */
async function waitUntilGone(client: KubeClient, labelSelector: string, names: string[]): Promise<void> {
  const deadline = Date.now() + GONE_TIMEOUT_MS;
  for (;;) {
    const listed = await client.batch.listNamespacedJob({ namespace: client.namespace, labelSelector });
    const left = listed.items.map((job) => job.metadata?.name).filter((name) => name !== undefined && names.includes(name));
    if (left.length === 0) return;
    if (Date.now() > deadline) {
      throw new KubernetesError(`Job ${left.join(', ')} still exists ${GONE_TIMEOUT_MS / 1000} s after it was deleted (its pods are still terminating)`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function ignoreGone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (apiStatusCode(error) !== 404) throw error;
  }
}
