/**
 * A real Kubernetes control plane for the kubernetes-runner tests: etcd, kube-apiserver (TLS on
 * 127.0.0.21, client certificates, RBAC), kube-controller-manager (the Job controller, garbage
 * collection, service accounts) and kube-scheduler, built from source by scripts/provision-kube.sh.
 * Only the kubelet is stood in for: kwok (sigs.k8s.io/kwok) marks pods running on fake nodes and,
 * for `pods/exec`, runs the exec'd command as a local process in `podRoot` (its ClusterExec "local"
 * mode). So the API server, RBAC, the Job controller, the scheduler, watches and the exec stream are
 * the real ones; no container runtime or image is involved (the image name is never pulled), and the
 * ConfigMap mount is the kubelet's job, so the harness puts the agent bundle in `podRoot` itself.
 * Every key and certificate is made at run time with openssl.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, type V1Taint } from '@kubernetes/client-node';
import { parseAllDocuments, stringify } from 'yaml';
import { freePort } from '../../src/net/free-port.js';
import { repoRoot } from './repo.js';
import { makeTempDir } from './temp-dir.js';

export const KUBE_ADDRESS = '127.0.0.21';
export const TEST_NAMESPACE = 'loadctl-e2e';
/**
 * Pods on a node of this name start slowly: kwok marks them running only after 10 minutes, as a kubelet
 * pulling a large image would (the kubelet is alive: deleting them works at once).
 */
export const SLOW_NODE = 'kwok-slow';
/** Pods on a node of this name cannot pull their image: kwok reports ErrImagePull for them. */
export const BAD_IMAGE_NODE = 'kwok-bad-image';

export interface KubeCluster {
  dir: string;
  server: string;
  /** system:masters: what the harness itself uses. */
  adminKubeconfig: string;
  namespace: string;
  /** Where kwok runs exec'd commands (the stand-in for a pod's filesystem). */
  podRoot: string;
  admin: { core: CoreV1Api; rbac: RbacAuthorizationV1Api; config: KubeConfig };
  /** A kubeconfig for a user with a client certificate (CN=user) and no permissions until a Role binds it. */
  kubeconfigFor(user: string): string;
  /** Nodes kwok manages, with these labels and taints. */
  addNodes(names: string[], options?: { labels?: Record<string, string>; taints?: V1Taint[] }): Promise<void>;

  /** Last lines of one component's log, for failure messages. */
  logTail(component: string): string;
  stop(): Promise<void>;
}

const processes = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of processes) child.kill('SIGKILL');
});

/** The control plane's binaries (built once, cached; LOADCTL_KUBE_BIN when scripts/test.sh already did). */
export function kubeBinDir(): string {
  if (process.env.LOADCTL_KUBE_BIN) return process.env.LOADCTL_KUBE_BIN;
  const dir = execFileSync('bash', [join(repoRoot(), 'scripts', 'provision-kube.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  process.env.LOADCTL_KUBE_BIN = dir;
  return dir;
}

/** Starts everything, adds one fake node, and waits until the API server serves and the namespace can hold pods. */
export async function startKubeCluster(options: { nodes?: number } = {}): Promise<KubeCluster> {
  const bin = kubeBinDir();
  const dir = makeTempDir('loadctl-kube-');
  const pki = makePki(dir);
  const ports = { etcd: await freePort(KUBE_ADDRESS), peer: await freePort(KUBE_ADDRESS), api: await freePort(KUBE_ADDRESS), kwok: await freePort(KUBE_ADDRESS) };
  const server = `https://${KUBE_ADDRESS}:${ports.api}`;
  const adminKubeconfig = writeKubeconfig(dir, 'admin', server, pki.ca, issueClient(dir, pki, 'admin', 'system:masters'));
  const podRoot = join(dir, 'pod-root');
  mkdirSync(podRoot);
  copyFileSync(join(repoRoot(), 'dist', 'loadctl-agent.mjs'), join(podRoot, 'loadctl-agent.mjs'));
  const started: ChildProcess[] = [];
  const run = (name: string, args: string[]) => started.push(startComponent(dir, join(bin, name), name, args));
  run('etcd', etcdArgs(dir, ports));
  run('kube-apiserver', apiserverArgs(dir, pki, ports));
  await waitForReady(server, pki, () => logTail(dir, 'kube-apiserver'));
  run('kube-controller-manager', ['--kubeconfig', adminKubeconfig, '--leader-elect=false', `--bind-address=${KUBE_ADDRESS}`, '--secure-port=0', '--controllers=*', `--service-account-private-key-file=${pki.saKey}`, `--root-ca-file=${pki.ca}`, '--use-service-account-credentials=false', '--node-monitor-grace-period=120s']);
  run('kube-scheduler', ['--kubeconfig', adminKubeconfig, '--leader-elect=false', `--bind-address=${KUBE_ADDRESS}`, '--secure-port=0']);
  run('kwok', kwokArgs(dir, pki, adminKubeconfig, podRoot, ports.kwok));
  const config = new KubeConfig();
  config.loadFromFile(adminKubeconfig);
  const admin = { config, core: config.makeApiClient(CoreV1Api), rbac: config.makeApiClient(RbacAuthorizationV1Api) };
  const cluster: KubeCluster = {
    dir,
    server,
    adminKubeconfig,
    namespace: TEST_NAMESPACE,
    podRoot,
    admin,
    kubeconfigFor: (user) => writeKubeconfig(dir, user, server, pki.ca, issueClient(dir, pki, user, null)),
    addNodes: (names, options = {}) => addNodes(admin.core, names, options.labels ?? {}, options.taints ?? []),
    logTail: (component) => logTail(dir, component),
    stop: () => stopAll(started),
  };
  try {
    await admin.core.createNamespace({ body: { metadata: { name: TEST_NAMESPACE } } });
    await cluster.addNodes(Array.from({ length: options.nodes ?? 1 }, (_, index) => `kwok-node-${index}`));
    // Pods are admitted only once the namespace's default ServiceAccount exists (the controller-manager makes it).
    await waitFor(async () => (await admin.core.listNamespacedServiceAccount({ namespace: TEST_NAMESPACE })).items.some((account) => account.metadata?.name === 'default'), 60_000, 'the default ServiceAccount');
  } catch (error) {
    await cluster.stop();
    throw new Error(`the test control plane did not come up: ${(error as Error).message}\n${['kube-controller-manager', 'kwok'].map((name) => `--- ${name}\n${logTail(dir, name)}`).join('\n')}`);
  }
  return cluster;
}

interface Pki {
  ca: string;
  caKey: string;
  serving: { cert: string; key: string };
  saKey: string;
  saPub: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA, a serving certificate for the API server and kwok (127.0.0.21 and the service IP), and the service-account key pair. */
function makePki(dir: string): Pki {
  const at = (name: string) => join(dir, name);
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', at('ca.key'), '-out', at('ca.crt'), '-days', '2', '-subj', '/CN=loadctl-test-kube-ca']);
  const pki: Pki = { ca: at('ca.crt'), caKey: at('ca.key'), serving: { cert: at('serving.crt'), key: at('serving.key') }, saKey: at('sa.key'), saPub: at('sa.pub') };
  sign(dir, pki, 'serving', '/CN=kube-apiserver', `subjectAltName=IP:${KUBE_ADDRESS},IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default\nextendedKeyUsage=serverAuth,clientAuth`);
  openssl(dir, ['genrsa', '-out', pki.saKey, '2048']);
  openssl(dir, ['rsa', '-in', pki.saKey, '-pubout', '-out', pki.saPub]);
  return pki;
}

function sign(dir: string, pki: Pki, name: string, subject: string, extensions: string): { cert: string; key: string } {
  const files = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, `${extensions}\n`);
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', files.key, '-out', join(dir, `${name}.csr`), '-subj', subject]);
  openssl(dir, ['x509', '-req', '-in', join(dir, `${name}.csr`), '-CA', pki.ca, '-CAkey', pki.caKey, '-CAcreateserial', '-out', files.cert, '-days', '2', '-extfile', ext]);
  return files;
}

/** A client certificate: the API server takes CN as the user and O as the group. */
function issueClient(dir: string, pki: Pki, user: string, group: string | null): { cert: string; key: string } {
  return sign(dir, pki, `user-${user}`, `/CN=${user}${group ? `/O=${group}` : ''}`, 'extendedKeyUsage=clientAuth');
}

function writeKubeconfig(dir: string, user: string, server: string, ca: string, client: { cert: string; key: string }): string {
  const path = join(dir, `${user}.kubeconfig`);
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: test\n  cluster:\n    server: ${server}\n    certificate-authority: ${ca}`,
      'users:',
      `- name: ${user}\n  user:\n    client-certificate: ${client.cert}\n    client-key: ${client.key}`,
      'contexts:',
      `- name: test\n  context:\n    cluster: test\n    user: ${user}`,
      'current-context: test',
      '',
    ].join('\n'),
  );
  return path;
}

function etcdArgs(dir: string, ports: { etcd: number; peer: number }): string[] {
  const client = `http://${KUBE_ADDRESS}:${ports.etcd}`;
  const peer = `http://${KUBE_ADDRESS}:${ports.peer}`;
  return ['--data-dir', join(dir, 'etcd'), '--listen-client-urls', client, '--advertise-client-urls', client, '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `default=${peer}`, '--unsafe-no-fsync', '--log-level', 'warn'];
}

function apiserverArgs(dir: string, pki: Pki, ports: { etcd: number; api: number }): string[] {
  return [
    `--etcd-servers=http://${KUBE_ADDRESS}:${ports.etcd}`,
    `--bind-address=${KUBE_ADDRESS}`,
    `--advertise-address=${KUBE_ADDRESS}`,
    `--secure-port=${ports.api}`,
    `--tls-cert-file=${pki.serving.cert}`,
    `--tls-private-key-file=${pki.serving.key}`,
    `--client-ca-file=${pki.ca}`,
    '--authorization-mode=RBAC',
    `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`,
    '--service-account-issuer=https://kubernetes.default.svc',
    '--service-cluster-ip-range=10.0.0.0/24',
    // The API server reaches kwok's kubelet endpoint with this certificate (kwok's is not verified: no kubelet CA is set).
    `--kubelet-client-certificate=${pki.serving.cert}`,
    `--kubelet-client-key=${pki.serving.key}`,
    '--kubelet-preferred-address-types=InternalIP',
    // A loopback address is not a valid endpoint of the `kubernetes` Service; nothing here needs it.
    '--endpoint-reconciler-type=none',
    `--cert-dir=${join(dir, 'apiserver-certs')}`,
  ];
}

function kwokArgs(dir: string, pki: Pki, kubeconfig: string, podRoot: string, port: number): string[] {
  const config = join(dir, 'kwok.yaml');
  const exec = ['---', 'apiVersion: kwok.x-k8s.io/v1alpha1', 'kind: ClusterExec', 'metadata:', '  name: run-locally', 'spec:', '  execs:', '  - local:', `      workDir: ${podRoot}`, ''].join('\n');
  writeFileSync(config, `${withStandInNodes(readFileSync(join(repoRoot(), 'test', 'fixtures', 'kwok', 'stages.yaml'), 'utf8'))}\n${exec}`);
  return [
    `--config=${config}`,
    `--kubeconfig=${kubeconfig}`,
    '--manage-all-nodes=true',
    `--server-address=${KUBE_ADDRESS}:${port}`,
    `--node-ip=${KUBE_ADDRESS}`,
    `--node-port=${port}`,
    `--tls-cert-file=${pki.serving.cert}`,
    `--tls-private-key-file=${pki.serving.key}`,
  ];
}

/**
 * The stages, plus two stand-in behaviours by node: SLOW_NODE's pods run only after 10 minutes (a copy
 * of pod-ready with a delay), BAD_IMAGE_NODE's pods wait in ErrImagePull (what a kubelet reports for
 * an image it cannot pull). pod-ready then skips both nodes.
 */
function withStandInNodes(stages: string): string {
  const documents = parseAllDocuments(stages).map((document) => document.toJS() as KwokStage | null).filter((stage): stage is KwokStage => stage !== null);
  const ready = documents.find((stage) => stage.metadata.name === 'pod-ready')!;
  const slow: KwokStage = structuredClone(ready);
  slow.metadata.name = 'pod-ready-slow';
  slow.spec.selector.matchExpressions.push({ key: '.spec.nodeName', operator: 'In', values: [SLOW_NODE] });
  slow.spec.delay = { durationMilliseconds: 600_000 };
  const badImage: KwokStage = structuredClone(ready);
  badImage.metadata.name = 'pod-image-pull-error';
  badImage.spec.selector.matchExpressions = [
    { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
    { key: '.status.containerStatuses', operator: 'DoesNotExist' },
    { key: '.spec.nodeName', operator: 'In', values: [BAD_IMAGE_NODE] },
  ];
  badImage.spec.next = { statusTemplate: IMAGE_PULL_ERROR_STATUS };
  ready.spec.selector.matchExpressions.push({ key: '.spec.nodeName', operator: 'NotIn', values: [SLOW_NODE, BAD_IMAGE_NODE] });
  return [...documents, slow, badImage].map((stage) => `---\n${stringify(stage)}`).join('');
}

const IMAGE_PULL_ERROR_STATUS = `phase: Pending
containerStatuses:
{{ range .spec.containers }}
- image: {{ .image | Quote }}
  name: {{ .name | Quote }}
  ready: false
  restartCount: 0
  state:
    waiting:
      reason: ErrImagePull
      message: {{ printf "failed to pull image %s: not found (kwok stand-in)" .image | Quote }}
{{ end }}
`;

interface KwokStage {
  metadata: { name: string };
  spec: { selector: { matchExpressions: { key: string; operator: string; values?: string[] }[] }; delay?: { durationMilliseconds: number }; next?: { statusTemplate: string } };
}

function startComponent(dir: string, path: string, name: string, args: string[]): ChildProcess {
  const log = openSync(join(dir, `${name}.log`), 'a');
  // HOME: kwok reads ~/.kwok/kwok.yaml when it exists; a fresh home keeps a developer's out of the tests.
  const child = spawn(path, args, { cwd: dir, stdio: ['ignore', log, log], env: { ...process.env, HOME: dir } });
  processes.add(child);
  child.once('exit', () => processes.delete(child));
  return child;
}

function logTail(dir: string, name: string): string {
  try {
    return readFileSync(join(dir, `${name}.log`), 'utf8').split('\n').slice(-25).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls /readyz with the CA (anonymous requests may read it) until the API server serves. */
async function waitForReady(server: string, pki: Pki, tail: () => string): Promise<void> {
  const ca = readFileSync(pki.ca);
  const ready = () =>
    new Promise<boolean>((resolve) => {
      const req = request(`${server}/readyz`, { ca, timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
      req.end();
    });
  try {
    await waitFor(ready, 90_000, 'kube-apiserver /readyz');
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${tail()}`);
  }
}

async function addNodes(core: CoreV1Api, names: string[], labels: Record<string, string>, taints: V1Taint[]): Promise<void> {
  for (const name of names) {
    await core.createNode({
      body: {
        metadata: { name, labels: { 'kubernetes.io/hostname': name, type: 'kwok', ...labels }, annotations: { 'kwok.x-k8s.io/node': 'fake' } },
        spec: { taints },
      },
    });
  }
  await waitFor(async () => {
    const nodes = await core.listNode();
    return names.every((name) => nodes.items.find((node) => node.metadata?.name === name)?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  }, 60_000, `nodes ${names.join(', ')} Ready`);
}

async function waitFor(check: () => Promise<boolean | undefined>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: not there after ${timeoutMs / 1000} s`);
}

async function stopAll(children: ChildProcess[]): Promise<void> {
  // Reverse order: kwok and the controllers first, etcd last.
  for (const child of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
