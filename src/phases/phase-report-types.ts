/**
 * The phase report (`loadctl phase … --out FILE`): every step's full run report plus what the phase
 * concluded. `gate` and the HTML/JUnit/Markdown renderers read it beside run reports (`kind` tells
 * them apart). Bump `PHASE_REPORT_SCHEMA_VERSION` when a field changes meaning.
 */
import type { RunReport } from '../report/run-report-types.js';
import type { VerdictOutcome } from '../verdict/classify-verdict.js';
import type { BreakpointResult, StepJudgement } from './breakpoint-search.js';

export const PHASE_REPORT_SCHEMA_VERSION = 1;

export type PhaseName = 'validate' | 'stress' | 'breakpoint' | 'distributed';

export interface PhaseStepReport {
  /** 1-based step number. */
  step: number;
  /** Planned total rate of the step, req/s. */
  rate: number;
  /** How the search read the step (breakpoint); `held` for a non-critical single step. */
  judgement: StepJudgement;
  /** What limited the step, for the step table: 'target', 'generator', 'instance lost' or null. */
  limitedBy: 'target' | 'generator' | 'instance lost' | null;
  /** The step's run report; null when no instance delivered a result. */
  report: RunReport | null;
}

export interface PhaseReport {
  schemaVersion: typeof PHASE_REPORT_SCHEMA_VERSION;
  kind: 'phase';
  phase: PhaseName;
  scenario: { name: string; source: string; targetUrl: string };
  startedAt: string;
  endedAt: string;
  /** The phase's own outcome (for validate/stress/distributed: the single step's verdict). */
  outcome: VerdictOutcome;
  /** One sentence: what the phase found. */
  headline: string;
  /** Stopped by Ctrl-C / SIGTERM; optional: absent from reports written before it. `gate` never passes it. */
  interrupted?: boolean;
  steps: PhaseStepReport[];
  /** breakpoint only: the estimate, or null with the reason (`breakpoint.reason`). */
  breakingPoint: number | null;
  breakpoint: BreakpointResult | null;
}
