/**
 * One connection to a cluster as the kubeconfig describes it: the typed API clients the runner, `kube
 * check` and `kube gc` use. @kubernetes/client-node's types stop at this folder.
 */
import { existsSync } from 'node:fs';
import { AuthorizationV1Api, BatchV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { ResolvedKubernetesConfig } from './kubernetes-config.js';
import { KubernetesError } from './kubernetes-error.js';

export interface KubeClient {
  readonly config: KubeConfig;
  readonly core: CoreV1Api;
  readonly batch: BatchV1Api;
  readonly authorization: AuthorizationV1Api;
  readonly namespace: string;
  /** The API server's URL, for messages. */
  readonly server: string;
}

/** Loads the kubeconfig (and context) the config names; throws a KubernetesError saying which part is wrong. */
export function connectKube(settings: Pick<ResolvedKubernetesConfig, 'kubeconfig' | 'context' | 'namespace'>): KubeClient {
  if (!existsSync(settings.kubeconfig)) {
    throw new KubernetesError(`kubeconfig not found: ${settings.kubeconfig}`, { hint: 'set kubernetes.kubeconfig in loadctl.config.yaml, or KUBECONFIG' });
  }
  const config = new KubeConfig();
  try {
    config.loadFromFile(settings.kubeconfig);
  } catch (cause) {
    throw new KubernetesError(`cannot read the kubeconfig ${settings.kubeconfig}: ${(cause as Error).message}`, { cause, hint: 'check the file with `kubectl config view`' });
  }
  if (settings.context !== null) {
    if (!config.getContextObject(settings.context)) {
      throw new KubernetesError(`kubeconfig ${settings.kubeconfig} has no context "${settings.context}"`, {
        hint: `set kubernetes.context to one of: ${config.getContexts().map((context) => context.name).join(', ') || '(none)'}`,
      });
    }
    config.setCurrentContext(settings.context);
  }
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubernetesError(`kubeconfig ${settings.kubeconfig} has no current cluster`, { hint: 'set kubernetes.context, or `kubectl config use-context NAME`' });
  return {
    config,
    core: config.makeApiClient(CoreV1Api),
    batch: config.makeApiClient(BatchV1Api),
    authorization: config.makeApiClient(AuthorizationV1Api),
    namespace: settings.namespace,
    server: cluster.server,
  };
}
