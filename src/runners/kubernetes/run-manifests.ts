/**
 * The objects of one run, as plain data (no client, no clock): an Indexed Job whose pods hold a stock
 * Node image idle, and the ConfigMap that mounts the agent bundle into them. The controller then starts
 * the agents over `pods/exec` (exec-instance.ts), so nothing in the cluster has to reach it.
 */
import type { V1ConfigMap, V1Job } from '@kubernetes/client-node';
import type { ResolvedKubernetesConfig } from './kubernetes-config.js';

/** Every object loadctl creates carries this label (what `kube gc` looks for)… */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'loadctl';
/** …and this one, with the run id (what a report names). */
export const RUN_ID_LABEL = 'loadctl.dev/run-id';
/** The Job's pods are Indexed: pod `i` runs instances `i × instancesPerPod …`. */
export const COMPLETION_INDEX_LABEL = 'batch.kubernetes.io/job-completion-index';
export const AGENT_CONTAINER = 'agent';
export const BUNDLE_FILE = 'loadctl-agent.mjs';
const MOUNT_PATH = '/opt/loadctl';
/** After the schedule: room for results, stragglers and the Job's own deletion. */
const DEADLINE_MARGIN_S = 120;

export interface RunObjectsInput {
  runId: string;
  /** Pods in the Job (instances ÷ instancesPerPod, rounded up). */
  pods: number;
  /** The run's planned duration: with the start timeout and a margin it bounds the Job's life. */
  durationMs: number;
  config: ResolvedKubernetesConfig;
}

/** `loadctl-<run id>`: the Job's and the ConfigMap's name. */
export function runObjectName(runId: string): string {
  return `loadctl-${runId.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 52);
}

export function runLabels(runId: string): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [RUN_ID_LABEL]: runId };
}

/** `app.kubernetes.io/managed-by=loadctl,loadctl.dev/run-id=…` (every run when `runId` is null). */
export function runSelector(runId: string | null): string {
  return `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}${runId === null ? '' : `,${RUN_ID_LABEL}=${runId}`}`;
}

/** How many pods carry `instances` at `instancesPerPod` each. */
export function podCount(instances: number, instancesPerPod: number): number {
  return Math.ceil(instances / instancesPerPod);
}

/** The argv the controller execs in a pod: relative, because exec runs in the container's workingDir (the mount). */
export const AGENT_COMMAND = ['node', `./${BUNDLE_FILE}`] as const;

export function buildRunJob(input: RunObjectsInput): V1Job {
  const { config } = input;
  const name = runObjectName(input.runId);
  const labels = runLabels(input.runId);
  const deadlineS = Math.ceil((config.startTimeoutMs + input.durationMs) / 1000) + DEADLINE_MARGIN_S;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: config.namespace, labels },
    spec: {
      completionMode: 'Indexed',
      completions: input.pods,
      parallelism: input.pods,
      // No pod is ever retried (a restarted generator mid-run is worse than a lost one: k6-operator #304),
      // and per index, so one lost pod does not make the Job controller end the others (backoffLimit: 0 would).
      backoffLimitPerIndex: 0,
      podReplacementPolicy: 'Failed',
      // A controller killed mid-run leaves a Job that ends by itself, then is collected.
      activeDeadlineSeconds: deadlineS,
      ttlSecondsAfterFinished: 60,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: 5,
          ...(Object.keys(config.nodeSelector).length > 0 ? { nodeSelector: config.nodeSelector } : {}),
          ...(config.tolerations.length > 0 ? { tolerations: config.tolerations } : {}),
          containers: [
            {
              name: AGENT_CONTAINER,
              image: config.image,
              imagePullPolicy: config.imagePullPolicy,
              // The container only holds the pod until the deadline; the agents are exec'd into it.
              command: ['node', '-e', `process.on('SIGTERM', () => process.exit(0)); setTimeout(() => {}, ${deadlineS * 1000});`],
              workingDir: MOUNT_PATH,
              ...(config.resources.requests || config.resources.limits ? { resources: config.resources } : {}),
              volumeMounts: [{ name: 'agent', mountPath: MOUNT_PATH, readOnly: true }],
            },
          ],
          volumes: [{ name: 'agent', configMap: { name } }],
        },
      },
    },
  };
}

/** The agent bundle, owned by the Job so the cluster's garbage collector removes it with the Job. */
export function buildBundleConfigMap(input: Pick<RunObjectsInput, 'runId' | 'config'>, bundle: string, owner: { uid: string }): V1ConfigMap {
  const name = runObjectName(input.runId);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: input.config.namespace,
      labels: runLabels(input.runId),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid: owner.uid }],
    },
    data: { [BUNDLE_FILE]: bundle },
  };
}
