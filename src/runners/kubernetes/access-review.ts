/**
 * Exactly the API verbs loadctl uses in a namespace (the minimal Role in docs/kubernetes.md is this
 * list), and a check of each with a SelfSubjectAccessReview, so a missing permission is named before
 * anything is created rather than half-way through a run.
 */
import type { KubeClient } from './kube-client.js';
import { describeApiError, KubernetesError } from './kubernetes-error.js';

export interface ApiPermission {
  group: '' | 'batch';
  resource: string;
  subresource?: string;
  verb: string;
  /** What loadctl does with it, for `kube check`. */
  why: string;
}

export const REQUIRED_PERMISSIONS: readonly ApiPermission[] = [
  { group: 'batch', resource: 'jobs', verb: 'create', why: 'one Indexed Job per run' },
  { group: 'batch', resource: 'jobs', verb: 'delete', why: 'remove the run’s Job at its end, on Ctrl-C, and in `kube gc`' },
  { group: 'batch', resource: 'jobs', verb: 'list', why: 'wait for the Job to be gone; find leftovers (`kube gc`)' },
  { group: '', resource: 'configmaps', verb: 'create', why: 'the agent bundle, mounted into the pods' },
  { group: '', resource: 'configmaps', verb: 'delete', why: 'remove the bundle with the run' },
  { group: '', resource: 'configmaps', verb: 'list', why: 'find leftovers (`kube gc`)' },
  { group: '', resource: 'pods', verb: 'watch', why: 'find the run’s pods and see them scheduled, running, failed, evicted or deleted' },
  // An exec over WebSocket is a GET upgrade: authorized as `get`, and (Kubernetes ≥ 1.31) also as `create`.
  { group: '', resource: 'pods', subresource: 'exec', verb: 'get', why: 'start `loadctl agent` in each pod (the WebSocket upgrade is a GET)' },
  { group: '', resource: 'pods', subresource: 'exec', verb: 'create', why: 'start `loadctl agent` in each pod (the agent protocol runs over it)' },
];

export interface PermissionVerdict {
  permission: ApiPermission;
  allowed: boolean;
  /** The authorizer's reason when it gave one. */
  reason: string;
}

/** `create pods/exec`, `list batch/jobs`: how kubectl auth can-i and a Role's rules name them. */
export function describePermission(permission: ApiPermission): string {
  const resource = permission.subresource ? `${permission.resource}/${permission.subresource}` : permission.resource;
  return `${permission.verb} ${permission.group ? `${permission.group}/` : ''}${resource}`;
}

/** Asks the API server about each required permission in the namespace (the reviews run in parallel). */
export async function reviewPermissions(client: KubeClient): Promise<PermissionVerdict[]> {
  return Promise.all(
    REQUIRED_PERMISSIONS.map(async (permission) => {
      try {
        const review = await client.authorization.createSelfSubjectAccessReview({
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: {
              resourceAttributes: {
                namespace: client.namespace,
                group: permission.group,
                resource: permission.resource,
                ...(permission.subresource ? { subresource: permission.subresource } : {}),
                verb: permission.verb,
              },
            },
          },
        });
        return { permission, allowed: review.status?.allowed === true, reason: review.status?.reason ?? '' };
      } catch (cause) {
        throw new KubernetesError(`cannot ask ${client.server} about permissions: ${describeApiError(cause)}`, { cause, hint: 'check the kubeconfig’s server and credentials (`loadctl kube check`)' });
      }
    }),
  );
}

/** Throws naming every missing verb; nothing has been created when it does. */
export async function requirePermissions(client: KubeClient): Promise<void> {
  const missing = (await reviewPermissions(client)).filter((verdict) => !verdict.allowed);
  if (missing.length === 0) return;
  const names = missing.map((verdict) => describePermission(verdict.permission));
  throw new KubernetesError(`missing permission${missing.length === 1 ? '' : 's'} in namespace ${client.namespace}: ${names.join(', ')}; nothing was created`, {
    hint: 'grant the Role in docs/kubernetes.md (`loadctl kube check` lists every verb)',
  });
}
