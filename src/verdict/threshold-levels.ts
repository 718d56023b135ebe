/**
 * Good / warning / critical levels per judged metric (the seed's "Interpreting Results"). Shared by the
 * scenario DSL (per sub-scenario overrides), the config file and the verdict.
 *
 * Semantics: a measured value strictly above `warning` is a warning, strictly above `critical` is
 * critical; `null` switches that level off. Rates are fractions of all requests (0.05 = 5 %).
 */
export interface Level {
  warning: number | null;
  critical: number | null;
}

export interface ThresholdLevels {
  /** p95 latency, ms (seed: good < 500, warning 500–1000, critical > 1000). */
  p95Ms: Level;
  /** p99 latency, ms (seed: good < 1000). */
  p99Ms: Level;
  /** Share of requests that were not 2xx (seed: good < 5 %, warning 5–10 %, critical > 10 %). */
  errorRate: Level;
  /** Share of requests that timed out (seed: good = none, warning = occasional). */
  timeoutRate: Level;
  /** Share of requests answered 503 (seed: critical = frequent 503s). */
  status503Rate: Level;
  /** Share of requests whose connection was refused (seed: critical = connection refused errors). */
  refusedRate: Level;
  /**
   * Share of the requests sent in the run's steady seconds that the target did not answer within them:
   * its backlog grew, i.e. it queues rather than keeps up (a saturated target slows down instead of
   * answering 503). 0.05 = it answered 95 % of what it was sent per second.
   */
  backlogGrowth: Level;
}

export type ThresholdName = keyof ThresholdLevels;

/** Overrides a scenario or config may give: any metric, any level. */
export type ThresholdOverrides = { [K in ThresholdName]?: Partial<Level> };

/** The seed guide's levels; `loadctl.config.yaml` and scenarios override them. */
export const DEFAULT_THRESHOLD_LEVELS: ThresholdLevels = {
  p95Ms: { warning: 500, critical: 1000 },
  p99Ms: { warning: 1000, critical: 2000 },
  errorRate: { warning: 0.05, critical: 0.1 },
  timeoutRate: { warning: 0, critical: 0.01 },
  status503Rate: { warning: 0, critical: 0.01 },
  refusedRate: { warning: null, critical: 0 },
  backlogGrowth: { warning: 0.03, critical: 0.05 },
};

export const THRESHOLD_NAMES = Object.keys(DEFAULT_THRESHOLD_LEVELS) as ThresholdName[];

/** Applies overrides on top of base levels (pure). */
export function applyThresholdOverrides(base: ThresholdLevels, overrides: ThresholdOverrides | undefined): ThresholdLevels {
  const result = { ...base };
  for (const name of THRESHOLD_NAMES) {
    const override = overrides?.[name];
    if (override) result[name] = { ...base[name], ...override };
  }
  return result;
}
