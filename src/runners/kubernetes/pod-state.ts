/**
 * What a pod's status says about the instances it carries, as pure functions of the pod object (table
 * tests: test/runners/kubernetes/pod-state.test.ts): running, never going to run (and why, in the
 * scheduler's or kubelet's own words), or gone mid-run.
 */
import type { V1Pod } from '@kubernetes/client-node';

/** Waiting reasons that will not fix themselves within a run's start-up. */
const HOPELESS_WAITING = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'CreateContainerConfigError', 'CreateContainerError', 'CrashLoopBackOff', 'RunContainerError']);

/** Running, not being deleted, every container started: its agents can be exec'd. */
export function isRunning(pod: V1Pod): boolean {
  return pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp && (pod.status.containerStatuses ?? []).every((status) => status.state?.running);
}

/** Why a pod will not run: the scheduler's message, an image that cannot be pulled, a failed pod. */
export function describeBlocked(pod: V1Pod): string | null {
  const name = pod.metadata?.name ?? 'a pod';
  const scheduled = pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') return `pod ${name} is unschedulable: ${scheduled.message ?? 'no reason given'}`;
  for (const status of pod.status?.containerStatuses ?? []) {
    const waiting = status.state?.waiting;
    if (waiting?.reason && HOPELESS_WAITING.has(waiting.reason)) return `pod ${name}: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`;
  }
  return goneReason(pod);
}

/** Why a pod stopped carrying its instances, or null while it still does. */
export function goneReason(pod: V1Pod): string | null {
  const name = pod.metadata?.name ?? 'a pod';
  if (pod.status?.reason === 'Evicted') return `pod ${name} was evicted: ${pod.status.message ?? ''}`.trim();
  if (pod.metadata?.deletionTimestamp) return `pod ${name} was deleted`;
  if (pod.status?.phase === 'Failed') return `pod ${name} failed${pod.status.reason ? ` (${pod.status.reason})` : ''}${pod.status.message ? `: ${pod.status.message}` : ''}`;
  if (pod.status?.phase === 'Succeeded') return `pod ${name} ended before its instances did`;
  return null;
}
