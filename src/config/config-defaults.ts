/**
 * loadctl's defaults, in one place: resolveConfig applies them (defaults < file < env < flags) and help
 * texts name them from here. No imports, so a command's --help loads nothing else.
 */

/** The bundled target-service on this machine (`loadctl target start` listens on port 3000). */
export const DEFAULT_TARGET_URL = 'http://127.0.0.1:3000';

export const DEFAULT_CONFIG_FILE = 'loadctl.config.yaml';

/** The seed's phases, two local instances of the fastest engine here (auto: rust when built, else node), failing on critical. */
export const CONFIG_DEFAULTS = {
  targetUrl: DEFAULT_TARGET_URL,
  instances: 2,
  engine: 'auto',
  failOn: 'critical',
  phases: {
    validate: { rate: 1_000, durationMs: 30_000 },
    stress: { rate: 10_000, durationMs: 30_000 },
    breakpoint: { from: 50_000, precision: 0.1, stepDurationMs: 30_000, maxSteps: 12 },
  },
} as const;
