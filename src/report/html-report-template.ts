/**
 * The page around the HTML report: styles, the uPlot library and the script that draws the charts,
 * all inlined so the file opens with no network (a Content-Security-Policy forbids any fetch).
 * `readHtmlAssets` reads uPlot from node_modules (the one impure part); `renderHtmlPage` is pure.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ChartSpec } from './html-report-chart-spec.js';

export interface HtmlAssets {
  /** uPlot's IIFE build (defines the global `uPlot`) and its stylesheet. */
  uplotScript: string;
  uplotCss: string;
}

/** uPlot 1.6.32 (MIT), the charting library the report inlines. */
export async function readHtmlAssets(): Promise<HtmlAssets> {
  const require = createRequire(import.meta.url);
  const [uplotScript, uplotCss] = await Promise.all([
    readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  ]);
  return { uplotScript, uplotCss };
}

export interface HtmlPage {
  title: string;
  /** Already escaped HTML. */
  body: string;
  charts: ChartSpec[];
}

/** No network, no frames, no forms: only the inline script and styles run. */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function renderHtmlPage(page: HtmlPage, assets: HtmlAssets): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${safeInStyle(assets.uplotCss)}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
${page.body}
<script type="application/json" id="loadctl-charts">${jsonInScript(page.charts)}</script>
<script>${safeInScript(assets.uplotScript)}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}

/** Text and attribute values: every report string goes through this (names are user input). */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON inside a script element: `<` escaped so no string can close the element or open a comment. */
export function jsonInScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function safeInScript(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

function safeInStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

const PAGE_CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;padding:24px;max-width:1180px;color:#111827;background:#fff}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px} h3{font-size:15px;margin:16px 0 6px}
.meta{color:#4b5563;font-size:13px} .headline{font-size:15px;margin:10px 0}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600;font-size:13px;vertical-align:middle}
.good{background:#16a34a}.warning{background:#ca8a04}.critical{background:#dc2626}.generator-limited{background:#7c3aed}.degraded{background:#0891b2}
table{border-collapse:collapse;margin:6px 0;font-size:13px} th,td{border:1px solid #e5e7eb;padding:4px 8px;text-align:right;vertical-align:top} th{background:#f9fafb}
td.l,th.l{text-align:left} td.lv-warning{background:#fef9c3} td.lv-critical{background:#fee2e2;font-weight:600} td.untrusted{color:#6b7280;font-style:italic}
ul.reasons{margin:4px 0;padding-left:20px} .chart{margin:10px 0 18px;min-height:300px} .charts{display:block}
details{margin:8px 0;border:1px solid #e5e7eb;border-radius:6px;padding:6px 10px} summary{cursor:pointer;font-weight:600}
.note{color:#4b5563;font-size:13px}
`;

/** Runs in the page: one uPlot per chart spec; charts inside a closed <details> are drawn when it opens. */
const CHART_SCRIPT = `
(function () {
  'use strict';
  var specs = JSON.parse(document.getElementById('loadctl-charts').textContent);
  var made = {};
  window.loadctlCharts = [];
  var dpr = window.devicePixelRatio || 1;
  function holder(spec) { return document.getElementById('chart-' + spec.id); }
  function fromZero(u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.08 : 1]; }
  function markerPlugin(marker) {
    return { hooks: { draw: [function (u) {
      var x = Math.round(u.valToPos(marker.x, 'x', true));
      var ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = '#b91c1c'; ctx.lineWidth = 2 * dpr; ctx.setLineDash([6 * dpr, 4 * dpr]);
      ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
      ctx.setLineDash([]); ctx.fillStyle = '#b91c1c'; ctx.font = (12 * dpr) + 'px sans-serif';
      ctx.fillText(marker.label, x + 5 * dpr, u.bbox.top + 14 * dpr);
      ctx.restore();
    }] } };
  }
  function build(spec) {
    var el = holder(spec);
    if (!el || made[spec.id]) return;
    var bars = spec.series.some(function (s) { return s.bars !== undefined && s.bars !== null; });
    var series = [{ label: spec.xLabel }];
    spec.series.forEach(function (s) {
      var o = { label: s.label, stroke: s.color, scale: s.scale, width: 2, points: { show: spec.x.length <= 40 } };
      if (s.dash) o.dash = [6, 4];
      if (s.bars !== undefined && s.bars !== null) {
        o.paths = uPlot.paths.bars({ size: [0.35, 60], align: s.bars });
        o.fill = s.color + 'aa';
        o.points = { show: false };
      }
      series.push(o);
    });
    // Seconds and instance numbers are whole: no 0.1-second ticks.
    var whole = spec.x.every(function (v) { return Math.round(v) === v; });
    var xAxis = { label: spec.xLabel };
    if (whole) xAxis.incrs = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 3600, 10000, 100000, 1000000];
    var axes = [xAxis, { label: spec.yLabel, scale: 'y' }];
    if (spec.y2Label) axes.push({ label: spec.y2Label, scale: 'y2', side: 1, grid: { show: false } });
    var opts = {
      title: spec.title,
      width: Math.max(320, Math.min(1120, el.clientWidth || 960)),
      height: 260,
      // Bars are centred on their x: pad the range so the first and last are not cut in half.
      scales: { x: bars ? { time: false, range: function (u, min, max) { return [min - 0.6, max + 0.6]; } } : { time: false }, y: { range: fromZero }, y2: { range: fromZero } },
      series: series,
      axes: axes,
      plugins: spec.marker ? [markerPlugin(spec.marker)] : []
    };
    var data = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
    made[spec.id] = new uPlot(opts, data, el);
    window.loadctlCharts.push({ id: spec.id, plot: made[spec.id], marker: spec.marker || null });
  }
  function visible(el) { return !!el && el.closest('details:not([open])') === null; }
  specs.forEach(function (spec) { if (visible(holder(spec))) build(spec); });
  Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) {
    d.addEventListener('toggle', function () {
      if (d.open) specs.forEach(function (spec) { var el = holder(spec); if (el && d.contains(el) && visible(el)) build(spec); });
    });
  });
  window.loadctlReady = true;
})();
`;
