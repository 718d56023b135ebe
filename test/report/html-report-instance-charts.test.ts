/**
 * The per-instance timeline charts as data (pure), from recorded native-engine runs: a line per
 * instance with its own seconds, the plan's per-instance share, and for a large fleet the worst few
 * plus the median of all.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCharts } from '../../src/report/html-report-charts.js';
import { instanceTimelineCharts, MAX_INSTANCE_LINES } from '../../src/report/html-report-instance-charts.js';
import { recordedFleetOf, recordedReportOf, withoutInstanceTimelines } from '../gate/report-fixtures.js';

describe('instanceTimelineCharts', () => {
  it('a recorded run (backpressure, 2 instances): requests/s, p95 and CPU, a line per instance with its own seconds', () => {
    const report = recordedReportOf('warning');
    const charts = instanceTimelineCharts(report, 'step1-');
    assert.deepEqual(charts.map((c) => c.id), ['step1-instance-rate', 'step1-instance-p95', 'step1-instance-cpu']);
    const [rate, p95, cpu] = charts;
    assert.deepEqual(rate!.x, [0, 1, 2, 3]);
    assert.deepEqual(rate!.series.map((s) => s.label), ['0 · vm', '1 · vm', 'planned req/s per instance']);
    assert.deepEqual(rate!.series[1]!.values, report.instances[1]!.timeline!.map((s) => s.requests));
    assert.deepEqual(rate!.series[2]!.values, report.timeline.map((s) => s.plannedRequests! / 2));
    assert.deepEqual(p95!.series.map((s) => s.values), report.instances.map((i) => i.timeline!.map((s) => s.p95Ms)));
    assert.deepEqual(cpu!.series.map((s) => s.values), report.instances.map((i) => i.timeline!.map((s) => s.cpuPercent)));
    assert.ok(charts.every((c) => !c.title.includes('shown')), 'every instance shown: no note');
  });

  it('they follow the per-instance bars in the run charts', () => {
    const ids = runCharts(recordedReportOf('good')).map((c) => c.id);
    assert.deepEqual(ids.slice(-5), ['instances', 'instance-latency', 'instance-rate', 'instance-p95', 'instance-cpu']);
  });

  it('64 instances: the worst few by each chart’s measure and the median of all; the one that fell behind is among them', () => {
    const report = recordedFleetOf(64, 37);
    const charts = instanceTimelineCharts(report, '');
    for (const chart of charts) {
      const lines = chart.series.filter((s) => /^\d+ · gen-/.test(s.label));
      assert.equal(lines.length, MAX_INSTANCE_LINES, chart.id);
      // Its requests/s and p95 fell behind; its CPU did not (the target was slow, not the generator).
      if (chart.id !== 'instance-cpu') assert.ok(lines.some((s) => s.label === '37 · gen-37'), `${chart.id}: the slow instance is shown`);
      assert.ok(chart.series.some((s) => s.label === 'median of all 63 instances'), chart.id);
      assert.match(chart.title, /the 8 of 63 instances .* shown; no timeline for instance 63$/);
      assert.equal(new Set(lines.map((s) => s.color)).size, lines.length, 'distinct colours');
    }
    const cpu = charts.find((c) => c.id === 'instance-cpu')!;
    const peaks = report.instances.filter((i) => i.timeline!.length > 0).map((i) => Math.max(...i.timeline!.map((s) => s.cpuPercent!))).sort((a, b) => b - a);
    const shownPeaks = cpu.series.filter((s) => /^\d+ · gen-/.test(s.label)).map((s) => Math.max(...s.values.map((v) => v ?? 0)));
    assert.ok(Math.min(...shownPeaks) >= peaks[MAX_INSTANCE_LINES - 1]!, 'CPU: the highest peaks are shown');
    const rate = charts[0]!;
    const median = rate.series.find((s) => s.label.startsWith('median'))!;
    assert.deepEqual(median.values.slice(0, 4), [100, 100, 100, 100], 'the typical instance sent 100/s');
  });

  it('none for a report written before instance timelines, nor CPU when no engine measured it', () => {
    assert.deepEqual(instanceTimelineCharts(withoutInstanceTimelines(recordedReportOf('good')), ''), []);
    const report = recordedReportOf('good');
    for (const instance of report.instances) instance.timeline = instance.timeline!.map((s) => ({ ...s, cpuPercent: null }));
    assert.deepEqual(instanceTimelineCharts(report, '').map((c) => c.id), ['instance-rate', 'instance-p95']);
  });
});
