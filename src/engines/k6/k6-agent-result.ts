/**
 * The InstanceResult of one k6 instance: the file the compiled script's handleSummary wrote
 * (k6-summary.ts), completed with what only the agent knows — how k6 ended, when it was released,
 * and the k6 process's CPU and memory (k6 itself reports neither).
 */
import { readFile } from 'node:fs/promises';
import type { InstanceResult } from '../../protocol/instance-result.js';
import { K6_SUMMARY_EXIT_CODES, describeK6ExitCode, type K6Exit } from './k6-process-exit.js';

/** CPU and memory of the k6 process over the run (from the per-second readings). */
export interface UsageStats {
  samples: number;
  cpuPercentSum: number;
  cpuPercentMax: number;
  rssBytesMax: number;
}

export interface AgentFacts {
  exit: K6Exit;
  /** The agent was told to stop (or its input closed) before k6 finished by itself. */
  stopRequested: boolean;
  /** The agreed start instant on this host's clock, once started. */
  scheduledStartAt: number | null;
  /** When k6 acknowledged the resume: k6 reports no first send of its own. */
  resumedAt: number | null;
  usage: UsageStats;
  cores: number;
}

export function emptyUsageStats(): UsageStats {
  return { samples: 0, cpuPercentSum: 0, cpuPercentMax: 0, rssBytesMax: 0 };
}

export function addUsage(stats: UsageStats, cpuPercent: number, rssBytes: number): void {
  stats.samples++;
  stats.cpuPercentSum += cpuPercent;
  stats.cpuPercentMax = Math.max(stats.cpuPercentMax, cpuPercent);
  stats.rssBytesMax = Math.max(stats.rssBytesMax, rssBytes);
}

/** The result file, or why there is none (k6 ended before handleSummary, or wrote something else). */
export async function readK6ResultFile(path: string): Promise<{ result: InstanceResult } | { missing: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { missing: 'it wrote no InstanceResult (handleSummary did not run)' };
  }
  try {
    const result = JSON.parse(text) as InstanceResult;
    if (result?.schemaVersion !== 1 || typeof result.overall !== 'object') return { missing: `its result file ${path} is not an InstanceResult` };
    return { result };
  } catch {
    return { missing: `its result file ${path} is not JSON` };
  }
}

/** The script's result with the agent's facts: status from how k6 ended, start times, generator health. */
export function completeK6Result(result: InstanceResult, facts: AgentFacts): InstanceResult {
  const { status, error } = statusOfExit(facts.exit, facts.stopRequested);
  const { usage } = facts;
  return {
    ...result,
    status,
    ...(error ? { error } : {}),
    ...(facts.scheduledStartAt !== null ? { scheduledStartAt: facts.scheduledStartAt } : {}),
    firstSendAt: facts.resumedAt,
    generator: {
      ...result.generator,
      cores: facts.cores,
      cpuPercentMean: usage.samples > 0 ? Math.round((usage.cpuPercentSum / usage.samples) * 10) / 10 : 0,
      cpuPercentMax: usage.cpuPercentMax,
      rssBytesMax: usage.rssBytesMax,
    },
  };
}

/**
 * 0 and 99 (thresholds failed: a verdict for loadctl to make, not a failure of the instance) are
 * completed runs; 103 (REST stop) and 105 (signal) are stopped ones; anything else wrote a result but
 * broke on the way (e.g. 108 exec.test.abort()), so the result is kept and marked failed.
 */
export function statusOfExit(exit: K6Exit, stopRequested: boolean): { status: InstanceResult['status']; error?: string } {
  const code = exit.exitCode;
  if (code === 103 || code === 105 || (stopRequested && (code === null || K6_SUMMARY_EXIT_CODES.has(code)))) return { status: 'stopped' };
  if (code === 0 || code === 99) return { status: 'completed' };
  return { status: 'failed', error: `k6 ${describeK6ExitCode(exit)}` };
}
