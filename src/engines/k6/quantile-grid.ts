/**
 * The quantile grid a compiled k6 script asks for (`summaryTrendStats`): p(0.5) … p(99.5) every 0.5,
 * then the tail p(99.6) … p(99.99) — 205 points. A count-weighted mixture of such grids from several
 * instances stays within ~1 % of the true fleet percentiles (DESIGN.md, "Merge and verdict"), where
 * averaging p95s does not.
 */

/** Percentiles (0–100) of the grid, ascending. */
export const QUANTILE_GRID_PERCENTS: readonly number[] = [
  ...Array.from({ length: 199 }, (_, i) => (i + 1) / 2),
  99.6,
  99.7,
  99.8,
  99.9,
  99.95,
  99.99,
];

/** k6's name of a percentile stat: `p(99.9)`. */
export function percentileStat(percent: number): string {
  return `p(${percent})`;
}

/** `summaryTrendStats` for k6: the grid plus the plain stats every report shows. */
export function summaryTrendStats(): string[] {
  return ['avg', 'min', 'med', 'max', 'count', ...QUANTILE_GRID_PERCENTS.map(percentileStat)];
}
