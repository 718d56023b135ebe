/**
 * The one duration grammar of flags, environment variables and loadctl.config.yaml (issue 17): a bare
 * number is seconds (`60`, `0.5`); otherwise k6's forms with a unit (`500ms`, `30s`, `2m`, `1h`, combined
 * as in `1h30m`). Before, `--duration 60` was 60 s, `DURATION=60` was refused and `duration: 60` in the
 * config was 60 ms. Scenario files keep k6's own convention (scenario/duration.ts: a number is ms there).
 */
import { parseDuration } from './duration.js';

/** The accepted forms, for every message that refuses a duration. */
export const DURATION_FORMS = 'a number with a unit ms, s, m or h, units combined as in 1h30m, or a bare number of seconds';

const BARE_SECONDS = /^\d+(?:\.\d+)?$/;

/**
 * Milliseconds of a duration setting, or null when it is not one (callers name the key and value). Zero
 * only where the caller allows it (`abort.window: 0` switches the abort rule off); elsewhere a duration is > 0.
 */
export function parseDurationSetting(value: string | number, options: { zeroAllowed?: boolean } = {}): number | null {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const ms = parseDuration(BARE_SECONDS.test(text) ? `${text}s` : text);
  return ms !== null && (ms > 0 || (ms === 0 && options.zeroAllowed === true)) ? ms : null;
}
