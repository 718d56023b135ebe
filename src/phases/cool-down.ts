/**
 * The cool-down between breakpoint steps: the target drains the buffer the last step filled, so the
 * next step starts against an idle target rather than the previous step's backlog. Watches the
 * target's `/health` (the bundled service reports `buffer.size`); a target without it just gets the
 * minimum pause.
 */
export interface CoolDownOptions {
  targetUrl: string;
  /** Always wait at least this long (ms). */
  minMs: number;
  /** Never wait longer than this (ms), drained or not. */
  maxMs: number;
  signal?: AbortSignal;
}

export interface CoolDownResult {
  waitedMs: number;
  /** True when /health said the buffer was empty; null when the target has no usable /health. */
  drained: boolean | null;
}

const POLL_MS = 250;

export async function coolDown(options: CoolDownOptions): Promise<CoolDownResult> {
  const started = Date.now();
  await sleep(options.minMs, options.signal);
  let drained: boolean | null = null;
  while (!options.signal?.aborted) {
    drained = await bufferIsEmpty(options.targetUrl);
    if (drained !== false || Date.now() - started >= options.maxMs) break;
    await sleep(POLL_MS, options.signal);
  }
  return { waitedMs: Date.now() - started, drained };
}

/** True / false from the bundled service's `/health`; null when the target does not say. */
async function bufferIsEmpty(targetUrl: string): Promise<boolean | null> {
  try {
    const response = await fetch(`${targetUrl}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await response.json()) as { buffer?: { size?: unknown } };
    return typeof body.buffer?.size === 'number' ? body.buffer.size === 0 : null;
  } catch {
    return null;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
