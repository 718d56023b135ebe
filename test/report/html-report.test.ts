/**
 * The HTML report opened in real headless Chromium (Debian's `chromium`, installed by
 * scripts/provision-chromium.sh, driven by playwright-core): charts drawn with data points, no console
 * errors, no network request, user strings inert; screenshots written to .loadctl/test-artifacts/.
 */
import { wholeSecondsOfReport } from '../../src/report/whole-seconds.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { readHtmlAssets } from '../../src/report/html-report-template.js';
import { renderHtmlReport } from '../../src/report/html-report.js';
import { compareReports } from '../../src/compare/compare-reports.js';
import { repoRoot } from '../helpers/repo.js';
import { MAX_INSTANCE_LINES } from '../../src/report/html-report-instance-charts.js';
import { breakpointPhaseOf, recordedFleetOf, recordedReportOf, validatePhaseOf } from '../gate/report-fixtures.js';

const CHROMIUM = process.env.LOADCTL_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const HOSTILE = `<img src=x onerror="window.__pwned=1">checkout</script><script>window.__pwned=2</script>`;

interface ChartState {
  id: string;
  series: number;
  points: number[];
  marker: { x: number } | null;
  inkPixels: number;
}

interface Opened {
  page: Page;
  problems: string[];
}

describe('HTML report in headless Chromium', () => {
  let context: BrowserContext;
  const dir = mkdtempSync(join(tmpdir(), 'loadctl-html-'));
  const artifacts = join(repoRoot(), '.loadctl', 'test-artifacts');

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  });
  after(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(name: string, html: string): Promise<Opened> {
    const file = join(dir, name);
    writeFileSync(file, html);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      // The test's own getImageData probe makes Chromium suggest willReadFrequently: not the page's doing.
      if (message.text().includes('willReadFrequently')) return;
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) problems.push(`network request: ${request.url()}`);
    });
    await page.goto(pathToFileURL(file).href);
    await waitInPage(page, 'window.loadctlReady === true', 20_000);
    return { page, problems };
  }

  /**
   * Polls `expression` from the test side. Not `page.waitForFunction`: when its first check fails it
   * re-checks inside the page with eval, which the report's CSP (no 'unsafe-eval') refuses — a flaky
   * EvalError whenever the <details> toggle event lands after the first check.
   */
  async function waitInPage(page: Page, expression: string, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await page.evaluate<boolean>(expression))) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Every chart's series and non-null points, and how many canvas pixels are not background (runs in the page). */
  function chartStates(page: Page): Promise<ChartState[]> {
    return page.evaluate<ChartState[]>(`window.loadctlCharts.map(({ id, plot, marker }) => {
      const canvas = plot.ctx.canvas;
      const pixels = plot.ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) ink++;
      return { id, series: plot.series.length - 1, points: plot.data.slice(1).map((s) => s.filter((v) => v !== null && v !== undefined).length), marker, inkPixels: ink };
    })`);
  }

  it('a recorded run (14 % 503s, target-side counts added): every timeline and per-instance chart drawn with its data, no errors, no network', async () => {
    const report = recordedReportOf('critical', { withTarget: true });
    report.scenario = { ...report.scenario!, name: HOSTILE };
    report.instances[0]!.host = '<b>gen-1</b>';
    // Hosts come from config: the per-instance timelines carry them into chart legends too.
    report.instances[1]!.host = HOSTILE;
    const comparison = compareReports(recordedReportOf('good'), report, { warning: 0.05, critical: 0.1 });
    const { page, problems } = await open('run.html', renderHtmlReport(report, { assets: await readHtmlAssets(), comparison }));
    const charts = await chartStates(page);
    assert.deepEqual(charts.map((c) => c.id), ['rate', 'latency', 'errors', 'target', 'generator', 'instances', 'instance-latency', 'instance-rate', 'instance-p95', 'instance-cpu']);
    for (const chart of charts) {
      assert.ok(chart.series >= 2, `${chart.id}: at least two series`);
      assert.ok(chart.points.every((n) => n > 0), `${chart.id}: every series has data points (${chart.points.join(', ')})`);
      assert.ok(chart.inkPixels > 2000, `${chart.id}: the canvas is drawn (${chart.inkPixels} pixels)`);
    }
    const rate = charts.find((c) => c.id === 'rate')!;
    // Only whole seconds are plotted: the straggler second after the schedule's end is not a rate (issue 18).
    const seconds = wholeSecondsOfReport(report).timeline.length;
    assert.ok(seconds >= 4 && seconds < report.timeline.length, `${seconds} whole of ${report.timeline.length} seconds`);
    assert.deepEqual(rate.points, [seconds, seconds], 'planned and achieved for every whole second of the run');
    for (const id of ['instance-rate', 'instance-p95', 'instance-cpu']) {
      const chart = charts.find((c) => c.id === id)!;
      const perInstance = wholeSecondsOfReport(report).instances.map((i) => i.timeline!.length);
      assert.deepEqual(chart.points.slice(0, perInstance.length), perInstance, `${id}: a point for every second of each instance`);
    }
    const errors = charts.find((c) => c.id === 'errors')!;
    assert.equal(errors.series, 2, 'total errors and the one class that occurred (503)');
    const dom = await page.evaluate<{ pwned: number | null; images: number; bold: number; scripts: number; h1: string; legend: string[]; instanceLegend: string[]; tables: number }>(`({
      pwned: window.__pwned ?? null,
      images: document.querySelectorAll('img').length,
      bold: document.querySelectorAll('b').length,
      scripts: document.scripts.length,
      h1: document.querySelector('h1').textContent,
      legend: Array.from(document.querySelectorAll('#chart-rate .u-legend .u-label')).map((e) => e.textContent),
      instanceLegend: Array.from(document.querySelectorAll('#chart-instance-rate .u-legend .u-label')).map((e) => e.textContent),
      tables: document.querySelectorAll('table').length,
    })`);
    assert.deepEqual({ pwned: dom.pwned, images: dom.images, bold: dom.bold, scripts: dom.scripts }, { pwned: null, images: 0, bold: 0, scripts: 3 });
    assert.ok(dom.h1.includes(HOSTILE), 'the name shows as text');
    assert.deepEqual(dom.legend.slice(1), ['planned req/s', 'achieved req/s']);
    assert.deepEqual(dom.instanceLegend.slice(1), ['0 · <b>gen-1</b>', `1 · ${HOSTILE}`, 'planned req/s per instance'], 'host names show as text');
    assert.ok(dom.tables >= 4, 'comparison, verdict, split and load tables');
    const shot = join(artifacts, 'html-report-run.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 20_000, 'a screenshot with content');
    assert.deepEqual(problems, []);
  });

  it('64 instances, one fell behind, one lost: per-instance charts stay readable (the worst 8 and the median), every line has data', async () => {
    const report = recordedFleetOf(64, 37);
    const { page, problems } = await open('fleet.html', renderHtmlReport(report, { assets: await readHtmlAssets() }));
    const charts = (await chartStates(page)).filter((c) => ['instance-rate', 'instance-p95', 'instance-cpu'].includes(c.id));
    assert.equal(charts.length, 3);
    for (const chart of charts) {
      assert.ok(chart.series <= MAX_INSTANCE_LINES + 2, `${chart.id}: ${chart.series} series, not 63`);
      assert.ok(chart.points.every((n) => n > 0), `${chart.id}: every line has data (${chart.points.join(', ')})`);
      assert.ok(chart.inkPixels > 2000, `${chart.id}: drawn`);
    }
    const legend = await page.evaluate<string[]>(`Array.from(document.querySelectorAll('#chart-instance-p95 .u-legend .u-label')).map((e) => e.textContent)`);
    assert.ok(legend.includes('37 · gen-37') && legend.includes('median of all 63 instances'), legend.join(' | '));
    await page.locator('#chart-instance-rate').screenshot({ path: join(artifacts, 'html-report-instances-64.png') });
    assert.deepEqual(problems, []);
  });

  it('a breakpoint phase report: steps plotted by rate with the breaking point marked; a step opens with its run charts', async () => {
    const { page, problems } = await open('phase.html', renderHtmlReport(breakpointPhaseOf(), { assets: await readHtmlAssets() }));
    let charts = await chartStates(page);
    assert.deepEqual(charts.map((c) => c.id), ['steps-latency', 'steps-rate'], 'step charts first; step runs wait in closed <details>');
    const latency = charts[0]!;
    assert.deepEqual(latency.points, [3, 3, 3]);
    assert.deepEqual(latency.marker, { x: 70, label: 'breaking point ≈ 70 req/s' });
    const xs = await page.evaluate<number[]>('window.loadctlCharts[0].plot.data[0]');
    assert.deepEqual(xs, [40, 60, 80], 'steps sorted by rate');
    await page.locator('details summary').nth(1).click();
    await waitInPage(page, 'window.loadctlCharts.length > 2');
    charts = await chartStates(page);
    assert.ok(charts.some((c) => c.id === 'step2-latency' && c.points.every((n) => n > 0)), 'step 2 drawn when opened');
    const stepInstances = charts.filter((c) => /^step2-instance-(rate|p95|cpu)$/.test(c.id));
    assert.equal(stepInstances.length, 3, "the step's per-instance timelines too");
    assert.ok(stepInstances.every((c) => c.points.every((n) => n > 0)));
    const shot = join(artifacts, 'html-report-phase.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 20_000);
    assert.deepEqual(problems, []);
  });

  it('a validate phase (one recorded step): its run is shown open, with no one-point step charts', async () => {
    const { page, problems } = await open('validate.html', renderHtmlReport(validatePhaseOf('generator-limited', 'recorded'), { assets: await readHtmlAssets() }));
    const charts = await chartStates(page);
    assert.deepEqual(charts.map((c) => c.id).slice(0, 3), ['step1-rate', 'step1-latency', 'step1-errors']);
    assert.deepEqual(charts.map((c) => c.id).slice(-3), ['step1-instance-rate', 'step1-instance-p95', 'step1-instance-cpu']);
    assert.ok(charts.every((c) => c.points.every((n) => n > 0)));
    const rate = charts[0]!;
    assert.equal(rate.series, 3, 'planned, achieved and the dropped iterations of the generator-limited run');
    assert.deepEqual(problems, []);
  });
});

describe('HTML report layout', () => {
  it('puts the verdict and its limits above the charts (they sat ~3,000 px down, under ten charts)', async () => {
    const html = renderHtmlReport(recordedReportOf('critical'), { assets: await readHtmlAssets() });
    const verdict = html.indexOf('<h2>Verdict by metric</h2>');
    assert.ok(verdict > 0 && verdict < html.indexOf('<h2>Timeline</h2>'));
  });
});
