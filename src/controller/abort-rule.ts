/**
 * Fleet-wide abort (issue 9): when the error rate stays critical for a whole window, the run is
 * stopped everywhere instead of hammering a target that is already down. Pure: fed the fleet's
 * per-second samples, it says whether and why to abort.
 */
export interface AbortRule {
  /** Share of non-2xx requests in a second above which that second counts as critical. */
  errorRate: number;
  /** Consecutive critical seconds that trigger the abort; 0 switches the rule off. */
  windowSeconds: number;
}

export const DEFAULT_ABORT_RULE: AbortRule = { errorRate: 0.1, windowSeconds: 10 };

export interface SecondCounts {
  second: number;
  requests: number;
  errors: number;
}

export interface AbortDecision {
  atSecond: number;
  reason: string;
}

/** Whether the last `windowSeconds` complete seconds were all critical. Seconds without requests break the streak. */
export function evaluateAbortRule(seconds: readonly SecondCounts[], rule: AbortRule): AbortDecision | null {
  if (rule.windowSeconds <= 0 || seconds.length < rule.windowSeconds) return null;
  const window = seconds.slice(-rule.windowSeconds);
  const critical = window.every((s) => s.requests > 0 && s.errors / s.requests > rule.errorRate);
  if (!critical) return null;
  const last = window[window.length - 1]!;
  const errors = window.reduce((sum, s) => sum + s.errors, 0);
  const requests = window.reduce((sum, s) => sum + s.requests, 0);
  const percent = ((errors / requests) * 100).toFixed(1);
  return {
    atSecond: last.second,
    reason: `errors above ${rule.errorRate * 100} % for ${rule.windowSeconds} s (${percent} % of ${requests} requests in seconds ${window[0]!.second}–${last.second})`,
  };
}
