/** Pod states as the kubernetes runner reads them: a table of real status shapes (as kube-scheduler and kubelets write them). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { describeBlocked, goneReason, isRunning } from '../../../src/runners/kubernetes/pod-state.js';

const pod = (status: V1PodStatus, deleting = false): V1Pod => ({ metadata: { name: 'loadctl-ab12-0-xyz', ...(deleting ? { deletionTimestamp: new Date() } : {}) }, status });
const running = { running: { startedAt: new Date() } };

describe('pod states', () => {
  // [case, pod, running?, blocked reason (start-up), gone reason (mid-run)]
  const cases: Array<[string, V1Pod, boolean, RegExp | null, RegExp | null]> = [
    ['running', pod({ phase: 'Running', containerStatuses: [{ name: 'agent', image: 'node', imageID: '', ready: true, restartCount: 0, state: running }] }), true, null, null],
    ['pending, not yet scheduled', pod({ phase: 'Pending' }), false, null, null],
    [
      'unschedulable (the scheduler’s message)',
      pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector." }] }),
      false,
      /^pod loadctl-ab12-0-xyz is unschedulable: 0\/3 nodes are available/,
      null,
    ],
    [
      'image pull back-off',
      pod({ phase: 'Pending', containerStatuses: [{ name: 'agent', image: 'nod:22', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nod:22"' } } }] }),
      false,
      /^pod loadctl-ab12-0-xyz: ImagePullBackOff: Back-off pulling image "nod:22"$/,
      null,
    ],
    ['container creating (a pull under way)', pod({ phase: 'Pending', containerStatuses: [{ name: 'agent', image: 'node', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }), false, null, null],
    ['evicted by its kubelet', pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }), false, /was evicted: The node was low on resource: memory\.$/, /was evicted: The node was low/],
    ['failed', pod({ phase: 'Failed', reason: 'OOMKilled' }), false, /failed \(OOMKilled\)$/, /failed \(OOMKilled\)$/],
    ['deleted while running', pod({ phase: 'Running', containerStatuses: [{ name: 'agent', image: 'node', imageID: '', ready: true, restartCount: 0, state: running }] }, true), false, /was deleted$/, /was deleted$/],
    ['succeeded (the holder exited)', pod({ phase: 'Succeeded' }), false, /ended before its instances did$/, /ended before its instances did$/],
  ];
  for (const [name, subject, expectRunning, blocked, gone] of cases) {
    it(name, () => {
      assert.equal(isRunning(subject), expectRunning);
      const blockedReason = describeBlocked(subject);
      if (blocked) assert.match(blockedReason ?? '', blocked);
      else assert.equal(blockedReason, null);
      const goneWhy = goneReason(subject);
      if (gone) assert.match(goneWhy ?? '', gone);
      else assert.equal(goneWhy, null);
    });
  }
});
