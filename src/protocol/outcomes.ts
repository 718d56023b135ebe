/** The outcome classes every request ends in, exactly one each (DESIGN.md, "Two engines"). */
export const OUTCOME_CLASSES = ['2xx', '429', '503', '4xx', '5xx', 'timeout', 'refused', 'tls', 'network'] as const;

/**
 * The classes every report has held since schema version 1; `tls` (issue 19: a handshake or certificate
 * failure, which used to count as `network`) is absent from older reports and reads as 0 there.
 */
export const V1_OUTCOME_CLASSES = ['2xx', '429', '503', '4xx', '5xx', 'timeout', 'refused', 'network'] as const;

export type OutcomeClass = (typeof OUTCOME_CLASSES)[number];

/** Requests per outcome class. `4xx` / `5xx` mean the *other* 4xx / 5xx (429 and 503 have their own). */
export type OutcomeCounts = Record<OutcomeClass, number>;

export function emptyOutcomeCounts(): OutcomeCounts {
  return { '2xx': 0, '429': 0, '503': 0, '4xx': 0, '5xx': 0, timeout: 0, refused: 0, tls: 0, network: 0 };
}

/** Counts of a document written before a class existed, with that class at 0 (changes `counts` in place). */
export function fillMissingOutcomeClasses(counts: Partial<OutcomeCounts>): OutcomeCounts {
  for (const outcome of OUTCOME_CLASSES) counts[outcome] ??= 0;
  return counts as OutcomeCounts;
}

/** The class of an HTTP status (network failures are classified by the engine, not here). */
export function classifyStatus(status: number): OutcomeClass {
  if (status >= 200 && status < 300) return '2xx';
  if (status === 429) return '429';
  if (status === 503) return '503';
  if (status >= 500) return '5xx';
  // 1xx / 3xx are not expected from an ingestion API: count them with the other 4xx as "not accepted".
  return '4xx';
}

/** Requests that ended in one of `errorClasses` (the verdict's "errors"; every per-second `errors` count uses this). */
export function countErrors(outcomes: OutcomeCounts, errorClasses: readonly OutcomeClass[]): number {
  return errorClasses.reduce((sum, outcome) => sum + outcomes[outcome], 0);
}
