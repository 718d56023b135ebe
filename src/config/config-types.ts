/**
 * The config file as a user writes it (every key optional) and the resolved config every command
 * reads (every key present). Resolution order: defaults < file < env < flags (`resolveConfig`).
 */
import type { OutcomeClass } from '../results/outcomes.js';
import type { AbortRule } from '../run/abort-rule.js';
import type { FailOn, VerdictOptions } from '../verdict/classify-verdict.js';
import type { ThresholdLevels, ThresholdOverrides } from '../verdict/threshold-levels.js';

export type EngineName = 'native' | 'k6';

/** `loadctl.config.yaml` as written; durations as `'30s'`, `'2m'` or a number of seconds (config/duration-setting.ts). */
export interface LoadctlConfigFile {
  target?: { url?: string; metricsUrl?: string | null };
  thresholds?: ThresholdOverrides;
  abort?: { errorRate?: number; window?: string | number };
  run?: { instances?: number; engine?: EngineName; duration?: string | number; rate?: number; failOn?: FailOn };
  verdict?: {
    errorClasses?: OutcomeClass[];
    generator?: { scheduleLagP99Ms?: number; iterationTolerance?: number; cpuSaturation?: number };
  };
  phases?: {
    validate?: { rate?: number; duration?: string | number };
    stress?: { rate?: number; duration?: string | number };
    breakpoint?: { from?: number; precision?: number; stepDuration?: string | number; maxSteps?: number };
  };
  /** Owned by the fleet commands (src/fleet/fleet-config.ts); passed through unvalidated here. */
  fleet?: unknown;
}

export interface PhaseStep {
  rate: number;
  durationMs: number;
}

export interface ResolvedConfig {
  /** The config file that was read, or null when none. */
  file: string | null;
  target: {
    url: string;
    /** Prometheus endpoint of the target; null = none (the default for a non-local target). */
    metricsUrl: string | null;
  };
  thresholds: ThresholdLevels;
  abort: AbortRule;
  run: {
    instances: number;
    engine: EngineName;
    /** Overrides the scenario's duration when set (`--duration`, `DURATION`). */
    durationMs: number | null;
    /** Scales the scenario's peak total rate when set (`--rate`, `RATE`). */
    rate: number | null;
    failOn: FailOn;
  };
  verdict: VerdictOptions;
  phases: {
    validate: PhaseStep;
    stress: PhaseStep;
    breakpoint: { from: number; precision: number; stepDurationMs: number; maxSteps: number };
  };
  fleet: unknown;
}

/** Flags of `run`, `phase`, `gate`… that override the config (commander's parsed values). */
export interface ConfigFlags {
  target?: string;
  targetMetrics?: string;
  instances?: number | string;
  engine?: string;
  /** Text in the duration grammar, or ms as parseDurationFlag returned them. */
  duration?: string | number;
  rate?: number | string;
  failOn?: string;
}
