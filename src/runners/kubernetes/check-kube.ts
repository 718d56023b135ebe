/**
 * `loadctl kube check`: can this kubeconfig carry a run? The API server answers, the namespace exists,
 * every verb the runner uses is allowed (SelfSubjectAccessReview, exactly REQUIRED_PERMISSIONS), and
 * what the image and pull policy mean for the nodes. Returns data; the command prints it.
 */
import { describePermission, reviewPermissions, type PermissionVerdict } from './access-review.js';
import { connectKube } from './kube-client.js';
import type { ResolvedKubernetesConfig } from './kubernetes-config.js';
import { apiStatusCode, describeApiError } from './kubernetes-error.js';

export interface KubeCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface KubeCheckResult {
  ok: boolean;
  server: string;
  namespace: string;
  checks: KubeCheck[];
}

export async function checkKube(config: ResolvedKubernetesConfig): Promise<KubeCheckResult> {
  const client = connectKube(config);
  const checks: KubeCheck[] = [];
  let verdicts: PermissionVerdict[] = [];
  try {
    verdicts = await reviewPermissions(client);
  } catch (error) {
    checks.push({ name: 'API server', ok: false, detail: (error as Error).message });
  }
  if (checks.length === 0) {
    checks.push({ name: 'API server', ok: true, detail: `${client.server} answers` });
    checks.push(await checkNamespace(client));
    for (const verdict of verdicts) {
      checks.push({ name: describePermission(verdict.permission), ok: verdict.allowed, detail: verdict.allowed ? verdict.permission.why : `denied${verdict.reason ? ` (${verdict.reason})` : ''}: needed to ${verdict.permission.why}` });
    }
  }
  checks.push(checkImage(config));
  return { ok: checks.every((check) => check.ok), server: client.server, namespace: client.namespace, checks };
}

async function checkNamespace(client: ReturnType<typeof connectKube>): Promise<KubeCheck> {
  try {
    await client.core.readNamespace({ name: client.namespace });
    return { name: 'namespace', ok: true, detail: `${client.namespace} exists` };
  } catch (error) {
    const status = apiStatusCode(error);
    // A Role cannot grant reading Namespace objects (cluster-scoped): not knowing is fine.
    if (status === 403) return { name: 'namespace', ok: true, detail: `${client.namespace} (not readable with these credentials; the permission checks above are for it)` };
    if (status === 404) return { name: 'namespace', ok: false, detail: `${client.namespace} does not exist: create it, or set kubernetes.namespace` };
    return { name: 'namespace', ok: false, detail: describeApiError(error) };
  }
}

/** What the nodes must do with the image: pull it, keep it, or already have it. */
function checkImage(config: ResolvedKubernetesConfig): KubeCheck {
  const name = `image ${config.image}`;
  const tag = /:([^/:@]+)$/.exec(config.image)?.[1] ?? (config.image.includes('@') ? 'digest' : 'latest');
  if (config.imagePullPolicy === 'Never') return { name, ok: true, detail: 'imagePullPolicy Never: every node must already have it, or the pods fail with ErrImageNeverPull' };
  if (tag === 'latest' && config.imagePullPolicy === 'IfNotPresent') return { name, ok: true, detail: 'tag latest with IfNotPresent: nodes may run different images; pin a tag' };
  return { name, ok: true, detail: `imagePullPolicy ${config.imagePullPolicy}; needs Node ≥ 20 as \`node\` on PATH` };
}

/** Plain text for a person: one line a check. */
export function renderKubeCheck(result: KubeCheckResult): string {
  const lines = result.checks.map((check) => `  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
  const verdict = result.ok ? 'ready for --runner kubernetes' : 'not ready: fix the FAIL lines (docs/kubernetes.md has the minimal Role)';
  return [`kubernetes ${result.server}, namespace ${result.namespace}`, ...lines, verdict].join('\n');
}
