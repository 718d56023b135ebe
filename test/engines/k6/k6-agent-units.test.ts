// Pure parts of the k6 agent: k6's command line, exit codes, REST metrics → progress, result status. No k6 is run.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { completeK6Result, emptyUsageStats, statusOfExit } from '../../../src/engines/k6/k6-agent-result.js';
import { buildK6RunArgs, executionSegment, executionSegmentSequence } from '../../../src/engines/k6/k6-process-args.js';
import { describeK6ExitCode, describeK6Failure, type K6Exit } from '../../../src/engines/k6/k6-process-exit.js';
import { buildProgressSample, emptyCumulativeCounts } from '../../../src/engines/k6/k6-rest-progress.js';
import type { K6RestMetrics } from '../../../src/engines/k6/k6-rest.js';
import { instanceOfSegment } from '../../../src/engines/k6/k6-summary.js';
import type { InstanceResult } from '../../../src/protocol/instance-result.js';

const exit = (exitCode: number | null, extra: Partial<K6Exit> = {}): K6Exit => ({ exitCode, signal: exitCode === null ? 'SIGKILL' : null, outputTail: '', ...extra });

describe('k6 run command line', () => {
  it('execution segments: equal stripes of one shared sequence, read back by the summary as the same instance', () => {
    const table: Array<[number, number, string]> = [
      [0, 1, '0:1'],
      [0, 3, '0:1/3'],
      [1, 3, '1/3:2/3'],
      [2, 3, '2/3:1'],
      [3, 4, '3/4:1'],
    ];
    for (const [index, count, segment] of table) {
      assert.equal(executionSegment(index, count), segment);
      assert.deepEqual(instanceOfSegment(segment), { index, count });
    }
    assert.equal(executionSegmentSequence(1), '0,1');
    assert.equal(executionSegmentSequence(4), '0,1/4,2/4,3/4,1');
    assert.throws(() => executionSegment(3, 3), /instance 3 of 3/);
  });

  it('paused, own REST address, segment + sequence, no usage report, env pairs, script last', () => {
    const args = buildK6RunArgs({ scriptPath: '/tmp/x/script.js', address: '127.0.0.1:40001', instance: { index: 1, count: 2 }, env: { LOADCTL_RESULT: '/tmp/x/result.json', LOADCTL_RUN_ID: 'r1' } });
    assert.deepEqual(args, [
      'run', '--paused', '--address', '127.0.0.1:40001', '--execution-segment', '1/2:1', '--execution-segment-sequence', '0,1/2,1',
      '--no-usage-report', '--quiet', '-e', 'LOADCTL_RESULT=/tmp/x/result.json', '-e', 'LOADCTL_RUN_ID=r1', '/tmp/x/script.js',
    ]);
  });
});

describe('k6 exits', () => {
  it('names the code and its meaning (k6 errext/exitcodes)', () => {
    const table: Array<[K6Exit, string]> = [
      [exit(0), 'exited with code 0 (success)'],
      [exit(99), 'exited with code 99 (thresholds failed)'],
      [exit(103), 'exited with code 103 (stopped via the REST API)'],
      [exit(104), 'exited with code 104 (invalid configuration)'],
      [exit(107), 'exited with code 107 (script exception)'],
      [exit(42), 'exited with code 42'],
      [exit(null), 'was killed by SIGKILL'],
      [exit(null, { signal: null, spawnError: 'spawn /no/k6 ENOENT' }), 'could not be started: spawn /no/k6 ENOENT'],
    ];
    for (const [input, text] of table) assert.equal(describeK6ExitCode(input), text);
    assert.equal(describeK6Failure(exit(107, { outputTail: 'a\n\n  b  \n' }), 'during init'), 'k6 exited with code 107 (script exception) during init; its last output:\na\n  b');
    assert.equal(describeK6Failure(exit(104), 'during init'), 'k6 exited with code 104 (invalid configuration) during init and wrote nothing');
  });

  it('result status: 0 and 99 completed, 103/105 or a requested stop stopped, anything else failed with the reason', () => {
    const table: Array<[K6Exit, boolean, InstanceResult['status'], string | undefined]> = [
      [exit(0), false, 'completed', undefined],
      [exit(99), false, 'completed', undefined],
      [exit(103), false, 'stopped', undefined],
      [exit(105), false, 'stopped', undefined],
      [exit(0), true, 'stopped', undefined],
      [exit(null), true, 'stopped', undefined],
      [exit(108), false, 'failed', 'k6 exited with code 108 (script aborted with exec.test.abort())'],
      [exit(null), false, 'failed', 'k6 was killed by SIGKILL'],
    ];
    for (const [input, stopRequested, status, error] of table) assert.deepEqual(statusOfExit(input, stopRequested), error ? { status, error } : { status });
  });

  it('completes the script result with the agent facts, keeping the generator reasons', () => {
    const script = { status: 'completed', scheduledStartAt: 1, firstSendAt: null, generator: { workers: 1, cpuPercentMean: 0, cpuPercentMax: 0, cores: 0, rssBytesMax: 0, limited: true, reasons: ['2 dropped'] } } as unknown as InstanceResult;
    const usage = { ...emptyUsageStats(), samples: 2, cpuPercentSum: 30, cpuPercentMax: 20, rssBytesMax: 5e7 };
    const result = completeK6Result(script, { exit: exit(103), stopRequested: true, scheduledStartAt: 1000, resumedAt: 1002, usage, cores: 8 });
    assert.equal(result.status, 'stopped');
    assert.equal(result.scheduledStartAt, 1000);
    assert.equal(result.firstSendAt, 1002);
    assert.deepEqual(result.generator, { workers: 1, cpuPercentMean: 15, cpuPercentMax: 20, cores: 8, rssBytesMax: 5e7, limited: true, reasons: ['2 dropped'] });
  });
});

describe('REST metrics → progress', () => {
  const metrics = (single2xx: number, single503: number, batch2xx: number, dropped: number): K6RestMetrics => ({
    'loadctl_requests{lo:single.2xx}': { type: 'counter', sample: { count: single2xx, rate: 1 } },
    'loadctl_requests{lo:single.503}': { type: 'counter', sample: { count: single503, rate: 1 } },
    'loadctl_requests{lo:batch.2xx}': { type: 'counter', sample: { count: batch2xx, rate: 1 } },
    http_reqs: { type: 'counter', sample: { count: 999, rate: 1 } },
    dropped_iterations: { type: 'counter', sample: { count: dropped, rate: 0 } },
    http_req_duration: { type: 'trend', sample: { min: 1, med: 4, avg: 5, 'p(90)': 9, 'p(95)': 12, max: 40 } },
    vus: { type: 'gauge', sample: { value: 3 } },
  });
  const input = { second: 0, subScenarios: ['single', 'batch'], cpuPercent: 50, rssBytes: 1e8 };

  it('per-second deltas of the tagged counters by class, dropped, in flight, cumulative latency grid', () => {
    const first = buildProgressSample(emptyCumulativeCounts(), metrics(10, 1, 5, 0), input);
    assert.equal(first.sample.requests, 16);
    assert.equal(first.sample.outcomes['2xx'], 15);
    assert.equal(first.sample.outcomes['503'], 1);
    assert.deepEqual(first.sample.latency, { kind: 'quantiles', points: [[0, 1], [0.5, 4], [0.9, 9], [0.95, 12], [1, 40]] });
    assert.equal(first.sample.p95Ms, 12);
    assert.equal(first.sample.inFlight, 3);
    const second = buildProgressSample(first.counts, metrics(25, 1, 9, 2), { ...input, second: 1 });
    assert.equal(second.sample.second, 1);
    assert.equal(second.sample.requests, 19);
    assert.equal(second.sample.outcomes['2xx'], 19);
    assert.equal(second.sample.outcomes['503'], 0);
    assert.equal(second.sample.droppedIterations, 2);
  });

  it('without the tagged counter: 2xx vs failed from http_reqs and http_req_failed; nothing yet → zeros', () => {
    const plain: K6RestMetrics = { http_reqs: { type: 'counter', sample: { count: 40, rate: 4 } }, http_req_failed: { type: 'rate', sample: { rate: 0.25 } } };
    const { sample } = buildProgressSample(emptyCumulativeCounts(), plain, input);
    assert.equal(sample.outcomes['2xx'], 30);
    assert.equal(sample.outcomes['5xx'], 10);
    const empty = buildProgressSample(emptyCumulativeCounts(), {}, input).sample;
    assert.equal(empty.requests, 0);
    assert.deepEqual(empty.latency, { kind: 'quantiles', points: [] });
  });
});
