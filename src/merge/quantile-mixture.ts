/**
 * Count-weighted mixture of quantile grids (k6's `summaryTrendStats` p(N) values). The fleet's CDF is
 * F(x) = Σ wᵢ·Fᵢ(x) with wᵢ = countᵢ / Σ count, each Fᵢ interpolated linearly between its grid points;
 * a fleet percentile is F⁻¹(q). Averaging the instances' p95s instead is off by up to 25 % when one
 * instance is slower (DESIGN.md, "Merge and verdict"; grafana/k6-operator#812).
 */

/** `[quantile in 0..1, value]` ascending in both; the first point should be q = 0 (min), the last q = 1 (max). */
export type QuantilePoints = ReadonlyArray<readonly [number, number]>;

export interface GridComponent {
  count: number;
  points: QuantilePoints;
}

/**
 * Fᵢ(x) of one grid: the largest q whose value is ≤ x, interpolated linearly towards the next point.
 * Below the first point 0, at or above the last point its q (1 when the grid ends at the max).
 */
export function gridCdf(points: QuantilePoints, x: number): number {
  const n = points.length;
  if (n === 0 || x < points[0]![1]) return 0;
  if (x >= points[n - 1]![1]) return 1;
  // Last index k with v_k ≤ x (binary search; values are non-decreasing).
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (points[mid]![1] <= x) lo = mid;
    else hi = mid - 1;
  }
  const [q0, v0] = points[lo]!;
  const [q1, v1] = points[lo + 1]!;
  return v1 === v0 ? q1 : q0 + ((q1 - q0) * (x - v0)) / (v1 - v0);
}

/** The mixture CDF at x. */
export function mixtureCdf(components: readonly GridComponent[], x: number): number {
  let total = 0;
  let weighted = 0;
  for (const component of components) {
    if (component.count <= 0 || component.points.length === 0) continue;
    total += component.count;
    weighted += component.count * gridCdf(component.points, x);
  }
  return total === 0 ? 0 : weighted / total;
}

/**
 * F⁻¹(q) of the mixture: the smallest x with F(x) ≥ q. F is linear between consecutive grid values of
 * all components (jumps only at values a grid repeats), so a binary search over those breakpoints and
 * one linear step inside the bracket give the exact inverse of the interpolated mixture.
 */
export function mixtureQuantile(components: readonly GridComponent[], q: number): number {
  return mergeQuantileGrids(components, [q])[0]![1];
}

/** The mixture as a grid again, at the quantiles `qs`, so merged results can be merged again. */
export function mergeQuantileGrids(components: readonly GridComponent[], qs: readonly number[]): Array<[number, number]> {
  const live = components.filter((c) => c.count > 0 && c.points.length > 0);
  if (live.length === 0) return qs.map((q) => [q, 0]);
  const breakpoints = sortedBreakpoints(live);
  const cdfAt = breakpoints.map(() => Number.NaN);
  const cdf = (k: number) => (Number.isNaN(cdfAt[k]!) ? (cdfAt[k] = mixtureCdf(live, breakpoints[k]!)) : cdfAt[k]!);
  return qs.map((q) => [q, invertAt(live, breakpoints, cdf, q)]);
}

function sortedBreakpoints(components: readonly GridComponent[]): number[] {
  const values = new Set<number>();
  for (const component of components) for (const point of component.points) values.add(point[1]);
  return [...values].sort((a, b) => a - b);
}

function invertAt(live: readonly GridComponent[], breakpoints: number[], cdf: (k: number) => number, q: number): number {
  const last = breakpoints.length - 1;
  if (q <= 0) return breakpoints[0]!;
  if (q >= 1 || last === 0) return breakpoints[last]!;
  // Smallest k with F(b_k) ≥ q (F(b_last) = 1 when every grid ends at its max).
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf(mid) >= q) hi = mid;
    else lo = mid + 1;
  }
  if (lo === 0) return breakpoints[0]!;
  const left = breakpoints[lo - 1]!;
  const right = breakpoints[lo]!;
  // Inside (left, right) F is linear; its slope comes from the midpoint, since F may jump at `right`.
  const middle = (left + right) / 2;
  const slope = (mixtureCdf(live, middle) - cdf(lo - 1)) / (middle - left);
  if (slope <= 0) return right;
  return Math.min(right, left + (q - cdf(lo - 1)) / slope);
}
