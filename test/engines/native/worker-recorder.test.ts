import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerRecorder } from '../../../src/engines/native/worker-recorder.js';

describe('WorkerRecorder seconds', () => {
  it('a drop noticed after its due second was reported counts in the next open second, never a second copy', () => {
    const recorder = new WorkerRecorder(['flood']);
    recorder.startAt = 10_000;
    recorder.dropped('flood', 10_500);
    const first = recorder.takeSeconds(1);
    recorder.dropped('flood', 10_900); // due in second 0, noticed in second 1 under overload
    recorder.dropped('flood', 11_200);
    const rest = recorder.takeSeconds(Infinity);
    assert.deepEqual([...first, ...rest].map((s) => [s.second, s.droppedIterations]), [[0, 1], [1, 2]]);
    assert.equal(recorder.overall.figures().droppedIterations, 3);
  });
});
