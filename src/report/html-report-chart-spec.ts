/** One chart of the HTML report as data (series, axes, marker): what the chart builders return and the page draws with uPlot. */
export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  color: string;
  /** `y` (left axis) or `y2` (right axis). */
  scale: 'y' | 'y2';
  dash?: boolean;
  /** Bars instead of a line (per-instance charts); -1 / 1 place two bar series side by side. */
  bars?: -1 | 0 | 1;
}

export interface ChartSpec {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  y2Label?: string;
  x: number[];
  series: ChartSeries[];
  /** A vertical line with a label (the breaking point). */
  marker?: { x: number; label: string };
}
