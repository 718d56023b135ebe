/** How a phase reads one step's run report: did the target hold, break, or was the fleet the limit? Pure. */
import type { RunReport } from '../report/run-report-types.js';
import { targetBacklogOf } from '../verdict/target-backlog.js';
import type { StepJudgement } from './breakpoint-search.js';
import type { PhaseStepReport } from './phase-report-types.js';

export interface JudgedStep {
  judgement: StepJudgement;
  limitedBy: PhaseStepReport['limitedBy'];
  /** An instance was lost: the step says nothing certain about the target, so a search must stop. */
  degraded: boolean;
}

export function judgeStep(report: RunReport | null, instances: number): JudgedStep {
  if (!report) return { judgement: { kind: 'critical', reason: 'no instance delivered a result' }, limitedBy: 'instance lost', degraded: true };
  const verdict = report.verdict;
  switch (verdict.outcome) {
    case 'critical': {
      const servedRate = queueingServedRate(report);
      return { judgement: { kind: 'critical', reason: verdict.reasons[0] ?? verdict.headline, ...(servedRate !== null ? { servedRate } : {}) }, limitedBy: 'target', degraded: false };
    }
    case 'generator-limited':
      return {
        judgement: {
          kind: 'generator-limited',
          reason: verdict.generatorReasons[0] ?? verdict.headline,
          achievedRate: report.load.achievedMeanRate ?? 0,
          instances,
        },
        limitedBy: 'generator',
        degraded: false,
      };
    case 'degraded':
      return { judgement: { kind: 'critical', reason: verdict.degradedReasons[0] ?? verdict.headline }, limitedBy: 'instance lost', degraded: true };
    default:
      return { judgement: { kind: 'held' }, limitedBy: null, degraded: false };
  }
}

/** What the target answered per second in a step where it queued (backlog growth not good), else null. */
function queueingServedRate(report: RunReport): number | null {
  const queued = report.verdict.overall.metrics.some((metric) => metric.metric === 'backlogGrowth' && metric.level !== 'good');
  const backlog = queued ? targetBacklogOf(report.timeline) : null;
  return backlog ? backlog.answered / backlog.seconds : null;
}
