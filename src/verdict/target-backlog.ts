/**
 * Is the target keeping up? Over the run's steady seconds — after the first (connections warming) and
 * before the last one anything was sent in (cut short by the end) — every request sent should be
 * answered at the rate it is sent: by Little's law a target with any constant latency answers per second
 * what it is sent per second, while a saturated one answers at its capacity and queues the rest, so its
 * latency climbs second by second. This compares answered with sent over those seconds (issue 18). Pure.
 */

/** The part of a timeline second this reads (a fleet timeline or a saved report's). */
export interface BacklogSecond {
  second: number;
  /** Requests that ended in this second. */
  requests: number;
  /** Requests sent in this second; absent in results from before it was recorded. */
  started?: number;
  p50Ms: number;
}

export interface TargetBacklog {
  /** Requests sent and answered (ended, any outcome) within the steady seconds. */
  sent: number;
  answered: number;
  seconds: number;
  /** Median latency of the first and the last steady second: a queueing target's climbs. */
  firstP50Ms: number;
  lastP50Ms: number;
}

/** Seconds needed before a backlog can be told from the noise of one second's edges. */
const MIN_STEADY_SECONDS = 2;

/** The backlog over the steady seconds, or null when the timeline is too short or has no send counts. */
export function targetBacklogOf(timeline: readonly BacklogSecond[]): TargetBacklog | null {
  const sending = timeline.filter((second) => (second.started ?? 0) > 0);
  if (sending.length === 0 || timeline.some((second) => second.started === undefined)) return null;
  const lastSending = Math.max(...sending.map((second) => second.second));
  const steady = timeline.filter((second) => second.second >= 1 && second.second < lastSending).sort((a, b) => a.second - b.second);
  if (steady.length < MIN_STEADY_SECONDS) return null;
  const sent = steady.reduce((sum, second) => sum + (second.started ?? 0), 0);
  if (sent === 0) return null;
  return {
    sent,
    answered: steady.reduce((sum, second) => sum + second.requests, 0),
    seconds: steady.length,
    firstP50Ms: steady[0]!.p50Ms,
    lastP50Ms: steady.at(-1)!.p50Ms,
  };
}

/** The share of what was sent that the target did not answer in step (0 when it answered as much or more). */
export function backlogGrowthOf(backlog: TargetBacklog): number {
  return Math.max(0, (backlog.sent - backlog.answered) / backlog.sent);
}
