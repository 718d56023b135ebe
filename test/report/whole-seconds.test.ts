import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCharts } from '../../src/report/html-report-charts.js';
import type { RunReport } from '../../src/report/run-report-types.js';
import { isWholeSecond, wholeSecondsOfReport } from '../../src/report/whole-seconds.js';
import { recordedReportOf } from '../gate/report-fixtures.js';

describe('isWholeSecond: a second counts only when it ended within the time that ran', () => {
  for (const [second, ranMs, whole] of [
    [0, 1000, true],
    [19, 20_000, true],
    [20, 20_000, false], // stragglers after a 20 s schedule: the "21/20 s" frame
    [8, 8_300, false], // Ctrl-C at 8.3 s: second 8 ran 0.3 s
    [7, 8_300, true],
    [0, 500, false],
  ] as const) {
    it(`second ${second} of ${ranMs} ms: ${whole ? 'whole' : 'partial'}`, () => assert.equal(isWholeSecond(second, ranMs), whole));
  }
});

describe('wholeSecondsOfReport and the HTML charts: a partial last second is left out, never plotted as a full one', () => {
  const full = recordedReportOf('good');
  const lastSecond = full.timeline.at(-1)!.second;
  const stopped: RunReport = { ...full, load: { ...full.load, ranMs: lastSecond * 1000 + 400 } };

  it('drops the partial second from the fleet and instance timelines, keeps the rest as is', () => {
    const whole = wholeSecondsOfReport(stopped);
    assert.deepEqual(whole.timeline, full.timeline.slice(0, -1));
    for (const [i, instance] of whole.instances.entries()) {
      assert.ok(instance.timeline!.every((s) => s.second < lastSecond), `instance ${i}`);
    }
    assert.equal(whole.overall, full.overall, 'totals keep every request');
  });

  it('the rate and latency charts end at the last whole second', () => {
    const charts = runCharts(stopped);
    for (const id of ['rate', 'latency', 'errors']) {
      assert.equal(charts.find((chart) => chart.id === id)!.x.at(-1), lastSecond - 1, id);
    }
  });

  it('a report without load.ranMs (written before it) is plotted as it is', () => {
    const { ranMs: _ranMs, ...load } = full.load;
    const old = { ...full, load };
    assert.equal(wholeSecondsOfReport(old), old);
  });
});
