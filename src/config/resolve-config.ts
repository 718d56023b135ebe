/**
 * `resolveConfig`: one place where defaults, the config file, the environment and flags meet, in that
 * order of precedence — defaults < file < env < flags (STYLE.md §4). The environment knobs are the
 * seed's: `INSTANCES`, `DURATION`, `API_URL`, `RATE` (and `RPS`, the seed's simple test's name for
 * it). After this, no code needs a `?? default`. Pure.
 */
import { DEFAULT_ABORT_RULE } from '../controller/abort-rule.js';
import { defaultTargetMetricsUrl } from '../controller/target-metrics.js';
import { ENGINE_NAMES } from '../engines/engine-registry.js';
import { DEFAULT_ERROR_CLASSES } from '../verdict/classify-verdict.js';
import { DEFAULT_GENERATOR_LIMITS } from '../verdict/fleet-health.js';
import { applyThresholdOverrides, DEFAULT_THRESHOLD_LEVELS, type ThresholdName, type ThresholdOverrides } from '../verdict/threshold-levels.js';
import { CONFIG_DEFAULTS } from './config-defaults.js';
import { ConfigError } from './config-error.js';
import { isRateThreshold } from './config-schema.js';
import { DURATION_FORMS, parseDurationSetting } from '../scenario/duration-setting.js';
import { parsePercentageSetting, PERCENTAGE_FORMS, type PercentageResult } from './percentage-setting.js';
import type { OutcomeClass } from '../protocol/outcomes.js';
import type { ConfigFlags, EngineChoice, LoadctlConfigFile, NamedFile, PercentageSetting, ResolvedConfig, TlsSettings } from './config-types.js';
import { basename, dirname, resolve as resolvePath } from 'node:path';

export interface ResolveConfigOptions {
  flags?: ConfigFlags;
  /** The parsed file (from `loadConfigFile`), or undefined when there is none. */
  file?: LoadctlConfigFile;
  /** Path of that file, for the result and messages. */
  filePath?: string | null;
  env?: Record<string, string | undefined>;
}

export function resolveConfig({ flags = {}, file = {}, filePath = null, env = {} }: ResolveConfigOptions): ResolvedConfig {
  const url = pick(flags.target, '--target', env.API_URL, 'API_URL', file.target?.url, CONFIG_DEFAULTS.targetUrl, stringValue);
  const metricsFlag = flags.targetMetrics === undefined ? undefined : flags.targetMetrics === 'none' ? null : flags.targetMetrics;
  const metricsUrl = metricsFlag !== undefined ? metricsFlag : file.target?.metricsUrl !== undefined ? file.target.metricsUrl : defaultTargetMetricsUrl(url);
  const rateEnv = env.RATE ?? env.RPS;
  // A number from a flag is what parseDurationFlag returned (ms); text and file values follow the grammar.
  const durationFlag = typeof flags.duration === 'number' ? `${flags.duration}ms` : flags.duration;
  // --rate / RATE and --duration / DURATION win over every file setting: run's and each phase step's.
  const given = {
    rate: pick(flags.rate, '--rate', rateEnv, env.RATE !== undefined ? 'RATE' : 'RPS', undefined, null, positiveNumber),
    durationMs: pick(durationFlag, '--duration', env.DURATION, 'DURATION', undefined, null, durationValue),
  };
  return {
    file: filePath,
    target: { url, metricsUrl, askTargetForMetrics: metricsFlag === undefined && file.target?.metricsUrl === undefined, tls: tlsSettingsOf(url, flags, file.target, filePath) },
    thresholds: applyThresholdOverrides(DEFAULT_THRESHOLD_LEVELS, thresholdOverridesOf(file.thresholds)),
    abort: {
      errorRate: file.abort?.errorRate === undefined ? DEFAULT_ABORT_RULE.errorRate : fractionOf(file.abort.errorRate, 'abort.errorRate'),
      windowSeconds: file.abort?.window === undefined ? DEFAULT_ABORT_RULE.windowSeconds : parseDurationSetting(file.abort.window)! / 1000,
    },
    run: {
      instances: pick(flags.instances, '--instances', env.INSTANCES, 'INSTANCES', file.run?.instances, CONFIG_DEFAULTS.instances, wholeNumber)!,
      engine: pick(flags.engine, '--engine', undefined, '', file.run?.engine, CONFIG_DEFAULTS.engine, engineName)!,
      durationMs: given.durationMs ?? pick(undefined, '', undefined, '', file.run?.duration, null, durationValue),
      rate: given.rate ?? pick(undefined, '', undefined, '', file.run?.rate, null, positiveNumber),
      failOn: pick(flags.failOn, '--fail-on', undefined, '', file.run?.failOn, CONFIG_DEFAULTS.failOn, failOnValue)!,
    },
    verdict: {
      errorClasses: errorClassesOf(file.verdict?.errorClasses),
      generator: {
        scheduleLagP99Ms: file.verdict?.generator?.scheduleLagP99Ms ?? DEFAULT_GENERATOR_LIMITS.scheduleLagP99Ms,
        iterationTolerance: fractionOr(file.verdict?.generator?.iterationTolerance, 'verdict.generator.iterationTolerance', DEFAULT_GENERATOR_LIMITS.iterationTolerance),
        cpuSaturation: fractionOr(file.verdict?.generator?.cpuSaturation, 'verdict.generator.cpuSaturation', DEFAULT_GENERATOR_LIMITS.cpuSaturation),
      },
    },
    phases: resolvePhases(file.phases, given),
    fleet: file.fleet ?? null,
  };
}

/**
 * `--ca/--cert/--key/--insecure` over `target.ca|cert|key|insecure`; a file named in the config is
 * relative to the config file. A certificate without its key (or the reverse) and TLS settings for a
 * plain http target are refused: either would otherwise be silently ignored.
 */
function tlsSettingsOf(url: string, flags: ConfigFlags, target: LoadctlConfigFile['target'], filePath: string | null): TlsSettings {
  const configName = filePath ? basename(filePath) : 'the config file';
  const named = (key: 'ca' | 'cert' | 'key'): NamedFile | null => {
    const flag = flags[key];
    if (flag !== undefined && flag !== '') return { path: flag, from: `--${key}` };
    const fromFile = target?.[key];
    if (fromFile === undefined) return null;
    return { path: filePath ? resolvePath(dirname(filePath), fromFile) : fromFile, from: `target.${key} in ${configName}` };
  };
  const settings: TlsSettings = { ca: named('ca'), cert: named('cert'), key: named('key'), insecure: flags.insecure === true || target?.insecure === true };
  if ((settings.cert === null) !== (settings.key === null)) {
    const given = settings.cert ?? settings.key!;
    throw new ConfigError(`${given.from} is given without ${settings.cert ? '--key (target.key)' : '--cert (target.cert)'}`, { hint: 'a client certificate needs its private key: pass both --cert FILE and --key FILE' });
  }
  const used = [settings.ca, settings.cert].filter((file): file is NamedFile => file !== null).map((file) => file.from);
  if (settings.insecure) used.push(flags.insecure ? '--insecure' : `target.insecure in ${configName}`);
  if (used.length > 0 && !/^https:/i.test(url)) {
    throw new ConfigError(`${used.join(', ')} ${used.length === 1 ? 'applies' : 'apply'} to https targets only, and the target is ${url}`, { hint: 'use the https:// URL of the service, or drop the TLS settings' });
  }
  return settings;
}

/**
 * `tls` was part of `network` until TLS failures got their own class (issue 19): a list written before
 * that which counts `network` as an error counts `tls` too, or a run whose every handshake failed could
 * be judged good.
 */
function errorClassesOf(listed: OutcomeClass[] | undefined): OutcomeClass[] {
  if (listed === undefined) return [...DEFAULT_ERROR_CLASSES];
  return listed.includes('network') && !listed.includes('tls') ? [...listed, 'tls'] : [...listed];
}

/** validate / stress: flag or env, else the file's phase section, else the seed's (they ignored RATE and DURATION). */
function resolvePhases(phases: LoadctlConfigFile['phases'], given: { rate: number | null; durationMs: number | null }): ResolvedConfig['phases'] {
  const defaults = CONFIG_DEFAULTS.phases;
  const step = (file: { rate?: number; duration?: string | number } | undefined, fallback: { rate: number; durationMs: number }) => ({
    rate: given.rate ?? file?.rate ?? fallback.rate,
    durationMs: given.durationMs ?? (file?.duration === undefined ? fallback.durationMs : parseDurationSetting(file.duration)!),
  });
  const breakpoint = phases?.breakpoint;
  return {
    validate: step(phases?.validate, defaults.validate),
    stress: step(phases?.stress, defaults.stress),
    breakpoint: {
      from: breakpoint?.from ?? defaults.breakpoint.from,
      precision: fractionOr(breakpoint?.precision, 'phases.breakpoint.precision', defaults.breakpoint.precision),
      stepDurationMs: breakpoint?.stepDuration === undefined ? defaults.breakpoint.stepDurationMs : parseDurationSetting(breakpoint.stepDuration)!,
      maxSteps: breakpoint?.maxSteps ?? defaults.breakpoint.maxSteps,
    },
  };
}

/** The file's rate levels (`5%`) as the fractions the verdict compares; ms levels and nulls as they are. */
function thresholdOverridesOf(thresholds: LoadctlConfigFile['thresholds']): ThresholdOverrides | undefined {
  if (thresholds === undefined) return undefined;
  const overrides: ThresholdOverrides = {};
  for (const [name, level] of Object.entries(thresholds) as Array<[ThresholdName, NonNullable<(typeof thresholds)[ThresholdName]>]>) {
    const limit = (key: 'warning' | 'critical') => {
      const value = level[key];
      if (value === undefined || value === null) return value;
      return isRateThreshold(name) ? fractionOf(value, `thresholds.${name}.${key}`) : Number(value);
    };
    overrides[name] = Object.fromEntries((['warning', 'critical'] as const).filter((key) => level[key] !== undefined).map((key) => [key, limit(key)]));
  }
  return overrides;
}

function fractionOr(value: PercentageSetting | undefined, key: string, fallback: number): number {
  return value === undefined ? fallback : fractionOf(value, key);
}

/** File values passed the schema's ranges already; a caller that skipped it still gets the grammar's message. */
function fractionOf(value: PercentageSetting, key: string): number {
  const result: PercentageResult = parsePercentageSetting(value, { min: 0 });
  if ('fraction' in result) return result.fraction;
  throw new ConfigError(`the config file's ${key}: ${JSON.stringify(value)} ${result.problem}`, { hint: `write ${PERCENTAGE_FORMS}` });
}

type Parser<T> = (raw: string | number, source: string) => T;

/**
 * flag, else env, else file, else default. Flag and env values arrive as text and are parsed (with the
 * source named when they are bad); file values were validated by the schema and are parsed the same way.
 */
function pick<T>(
  flag: string | number | undefined,
  flagName: string,
  env: string | undefined,
  envName: string,
  file: string | number | undefined,
  fallback: T,
  parse: Parser<T>,
): T {
  if (flag !== undefined && flag !== '') return parse(flag, flagName);
  if (env !== undefined && env !== '') return parse(env, `environment variable ${envName}`);
  if (file !== undefined) return parse(file, 'the config file');
  return fallback;
}

function bad(source: string, raw: string | number, what: string, fix: string): ConfigError {
  return new ConfigError(`${source}: ${JSON.stringify(raw)} is not ${what}`, { hint: fix });
}

function stringValue(raw: string | number): string {
  return String(raw);
}

function wholeNumber(raw: string | number, source: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw bad(source, raw, 'a whole number ≥ 1', 'give the number of instances, e.g. 4');
  return value;
}

function positiveNumber(raw: string | number, source: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw bad(source, raw, 'a rate > 0', 'give requests per second, e.g. 10000');
  return value;
}

function durationValue(raw: string | number, source: string): number {
  const value = parseDurationSetting(raw);
  if (value === null) throw bad(source, raw, 'a duration > 0', `write ${DURATION_FORMS}, e.g. 30s, 2m or 90`);
  return value;
}

function engineName(raw: string | number, source: string): EngineChoice {
  if (raw === 'node') return 'native';
  if (raw === 'auto') return raw;
  const engine = ENGINE_NAMES.find((name) => name === raw);
  if (engine) return engine;
  throw bad(source, raw, 'an engine', `use auto, node, ${ENGINE_NAMES.filter((name) => name !== 'native').join(' or ')}`);
}

function failOnValue(raw: string | number, source: string): 'warning' | 'critical' {
  if (raw === 'warning' || raw === 'critical') return raw;
  throw bad(source, raw, 'a level to fail on', 'use warning or critical');
}
