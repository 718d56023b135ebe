import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderLine } from '../../src/report/live-view.js';
import type { FleetSecond } from '../../src/controller/fleet-timeline.js';
import { emptyOutcomeCounts } from '../../src/protocol/outcomes.js';

const second = (n: number): FleetSecond => ({
  second: n,
  requests: 100,
  errors: 0,
  outcomes: { ...emptyOutcomeCounts(), '2xx': 100 },
  droppedIterations: 0,
  p95Ms: 2,
  scheduleLagP99Ms: 0,
  inFlight: 1,
  instances: 2,
  cpuPercent: { 0: 5, 1: 6 },
  bytesSent: 41_300,
  bytesReceived: 9_000,
});
const options = { totalSeconds: 20, plannedRate: 100, instances: 2 };

describe('live view: elapsed time', () => {
  it('counts the seconds that ended', () => assert.match(renderLine({ latest: second(4), recentP95Ms: 2, droppedTotal: 0, instancesAlive: 2 }, options), /^\[5\/20s\]/));
  it('never prints past the planned duration ("21/20 s")', () =>
    assert.match(renderLine({ latest: second(20), recentP95Ms: 2, droppedTotal: 0, instancesAlive: 2 }, options), /^\[20\/20s\]/));
});

describe('live view: data sent and received (issue 19)', () => {
  it('shows the second\'s bytes per second out and in', () =>
    assert.match(renderLine({ latest: second(4), recentP95Ms: 2, droppedTotal: 0, instancesAlive: 2 }, options), /data 41\.3 kB\/s \/ 9\.00 kB\/s$/));
  it("shows '-' when no instance counts bytes (k6)", () =>
    assert.match(renderLine({ latest: { ...second(4), bytesSent: null, bytesReceived: null }, recentP95Ms: 2, droppedTotal: 0, instancesAlive: 2 }, options), /data -$/));
});
