/**
 * The preflight (issue 18) as the pods see the target: one TCP connection opened from inside the first
 * pod, with the image's own `node`, before any agent starts. From the controller it would check the
 * wrong network: a target may be a Service name only the cluster resolves, or reachable from a laptop
 * but not from the nodes.
 */
import { runExecOnce } from './exec-socket.js';
import type { KubeClient } from './kube-client.js';
import { KubernetesError } from './kubernetes-error.js';
import { AGENT_CONTAINER } from './run-manifests.js';

const PREFLIGHT_TIMEOUT_MS = 3000;
/** Connects to argv host:port; exits 0 on connect, 1 with the error code on stderr otherwise. */
const CONNECT_SCRIPT = [
  "const socket = require('node:net').connect({ host: process.argv[1], port: Number(process.argv[2]) });",
  `socket.setTimeout(${PREFLIGHT_TIMEOUT_MS}, () => { console.error('timed out after ${PREFLIGHT_TIMEOUT_MS / 1000} s'); process.exit(1); });`,
  "socket.once('connect', () => process.exit(0));",
  "socket.once('error', (error) => { console.error(error.code || error.message); process.exit(1); });",
].join(' ');

/** Throws (exit 5, like the controller's preflight) when `pod` cannot open a TCP connection to the target. */
export async function preflightFromPod(client: KubeClient, pod: string, url: string): Promise<void> {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port !== '' ? parsed.port : parsed.protocol === 'https:' ? '443' : '80';
  const outcome = await runExecOnce({ client, pod, container: AGENT_CONTAINER }, ['node', '-e', CONNECT_SCRIPT, host, port], PREFLIGHT_TIMEOUT_MS + 10_000);
  if (outcome === null) throw new KubernetesError(`could not run the target preflight in pod ${pod}`, { hint: 'check `pods/exec` in the namespace (`loadctl kube check`)' });
  if (outcome.ok) return;
  throw new KubernetesError(`the target ${url} is unreachable from the cluster: ${outcome.output || 'no connection'} (${host}:${port}, tried from pod ${pod}); no load was started`, {
    hint: 'the pods must reach --target: a Service name (http://ingest.loadtest.svc:3000) or an address the nodes can route to. --no-preflight skips this check',
  });
}
