/** `--max-regression 10%` / `--warn-regression 5%`: how much worse than the baseline each level allows. */
import { InvalidArgumentError } from 'commander';
import type { RegressionLimits } from './compare-reports.js';

export const DEFAULT_MAX_REGRESSION = 0.1;

/** The critical limit is `--max-regression`; the warning limit defaults to half of it. */
export function regressionLimitsOf(maxRegression: number | undefined, warnRegression: number | undefined): RegressionLimits {
  const critical = maxRegression ?? DEFAULT_MAX_REGRESSION;
  const warning = warnRegression ?? critical / 2;
  if (warning > critical) throw new InvalidArgumentError(`--warn-regression (${warning * 100} %) is above --max-regression (${critical * 100} %)`);
  return { warning, critical };
}
