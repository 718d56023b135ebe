/**
 * The config file as a user writes it (every key optional) and the resolved config every command
 * reads (every key present). Resolution order: defaults < file < env < flags (`resolveConfig`).
 */
import type { OutcomeClass } from '../protocol/outcomes.js';
import type { AbortRule } from '../controller/abort-rule.js';
import type { EngineName } from '../engines/engine.js';
import type { FailOn, VerdictOptions } from '../verdict/classify-verdict.js';
import type { ThresholdLevels, ThresholdName } from '../verdict/threshold-levels.js';

/** What a user may ask for: an engine, or `auto` (rust when its binary is present, else node). `node` is read as `native`. */
export type EngineChoice = EngineName | 'auto';

/** A duration as written: `'30s'`, `'2m'` or a number of seconds (scenario/duration-setting.ts). */
export type DurationSetting = string | number;

/** A percentage as written: `'10%'`, or 0 (config/percentage-setting.ts). */
export type PercentageSetting = string | number;

/** `loadctl.config.yaml` as written. */
export interface LoadctlConfigFile {
  target?: { url?: string; metricsUrl?: string | null; ca?: string; cert?: string; key?: string; insecure?: boolean };
  /** Milliseconds for the `…Ms` levels, percentages for the rates; null switches a level off. */
  thresholds?: { [K in ThresholdName]?: { warning?: number | PercentageSetting | null; critical?: number | PercentageSetting | null } };
  abort?: { errorRate?: PercentageSetting; window?: DurationSetting };
  run?: { instances?: number; engine?: EngineChoice | 'node'; duration?: DurationSetting; rate?: number; failOn?: FailOn };
  verdict?: {
    errorClasses?: OutcomeClass[];
    generator?: { scheduleLagP99Ms?: number; iterationTolerance?: PercentageSetting; cpuSaturation?: PercentageSetting };
  };
  phases?: {
    validate?: { rate?: number; duration?: DurationSetting };
    stress?: { rate?: number; duration?: DurationSetting };
    breakpoint?: { from?: number; precision?: PercentageSetting; stepDuration?: DurationSetting; maxSteps?: number };
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
    /** Neither --target-metrics nor the file said: ask the target's /health first, `metricsUrl` being the guess. */
    askTargetForMetrics: boolean;
    /** https targets (issue 19); every file null and insecure false for an http one. */
    tls: TlsSettings;
  };
  thresholds: ThresholdLevels;
  abort: AbortRule;
  run: {
    instances: number;
    engine: EngineChoice;
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

/** A file named by a flag or the config, with where it was named (for error messages). */
export interface NamedFile {
  path: string;
  /** `--ca`, or `target.ca in loadctl.config.yaml`. */
  from: string;
}

export interface TlsSettings {
  /** A CA to trust besides the system's. */
  ca: NamedFile | null;
  /** Client certificate and its key (mTLS): both or neither. */
  cert: NamedFile | null;
  key: NamedFile | null;
  /** Verify nothing (k6's insecureSkipTLSVerify). */
  insecure: boolean;
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
  ca?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
}
