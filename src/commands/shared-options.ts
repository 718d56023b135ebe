/**
 * Every flag that more than one command takes, declared once (issue 17; vitest's cliOptionsConfig): its
 * name, argument, parser and help. A command lists the ones it takes with `addSharedOptions`, and its
 * flags type is `Pick<SharedFlags, …>`. Defaults are not set here: they are resolved once, with the
 * config file and the environment (config/resolve-config.ts), and the help names them from there.
 */
import { Option } from 'commander';
import { CONFIG_DEFAULTS } from '../config/config-defaults.js';
import { ENGINE_NAMES } from '../engines/engine-registry.js';
import type { EngineName } from '../engines/engine.js';
import type { ConfigFlags } from '../config/config-types.js';
import { parseDurationFlag, parseInteger, parseRateFlag, parseRegressionLimitFlag } from './option-parsers.js';

/** The parsed values, as commander hands them to an action. */
export interface SharedFlags {
  rate?: number;
  /** ms */
  duration?: number;
  instances?: number;
  target?: string;
  /** https targets (issue 19): a CA to trust, a client certificate and its key (files), no verification. */
  ca?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
  targetMetrics?: string;
  engine?: EngineName | 'auto' | 'node';
  k6?: string;
  workers?: number;
  runner?: 'local' | 'ssh' | 'kubernetes';
  acceptNewHostKeys?: boolean;
  config?: string;
  out?: string;
  junit?: string;
  markdown?: string;
  html?: string;
  failOn?: 'warning' | 'critical';
  /** false with --no-preflight. */
  preflight?: boolean;
  dryRun?: boolean;
  /** false with --no-color. */
  color?: boolean;
  /** Fractions (0.1 = 10 %). */
  maxRegression?: number;
  warnRegression?: number;
}

export type SharedOptionName = keyof SharedFlags;

const SHARED_OPTIONS: Record<SharedOptionName, () => Option> = {
  rate: () => new Option('--rate <rps>', 'total requests/s; every sub-scenario scales in proportion (env RATE)').argParser(parseRateFlag),
  duration: () => new Option('--duration <duration>', 'how long the schedule runs, e.g. 30s or 2m; ramps are stretched (env DURATION)').argParser(parseDurationFlag),
  instances: () => new Option('--instances <n>', `engine instances (processes) to split the load over (env INSTANCES; default ${CONFIG_DEFAULTS.instances})`).argParser(parseInteger(1)),
  target: () => new Option('--target <url>', `base URL of the service under test (env API_URL; default ${CONFIG_DEFAULTS.targetUrl})`),
  ca: () => new Option('--ca <file>', "https target: PEM file of a CA to trust besides the system's (config target.ca)"),
  cert: () => new Option('--cert <file>', 'https target: client certificate (PEM) for mTLS; needs --key (config target.cert)'),
  key: () => new Option('--key <file>', 'https target: private key (PEM) of --cert (config target.key)'),
  insecure: () => new Option('--insecure', "https target: don't verify the certificate (k6's insecureSkipTLSVerify); every report says so"),
  targetMetrics: () => new Option('--target-metrics <url>', "the target's Prometheus endpoint, scraped each second; 'none' to skip (default: where the target's /health says, else :9464 when the target is local)"),
  engine: () => new Option('--engine <engine>', `load engine: auto (rust when its binary is here, else node), node, rust or k6; native = node (default ${CONFIG_DEFAULTS.engine})`).choices(['auto', 'node', ...ENGINE_NAMES]),
  k6: () => new Option('--k6 <path>', 'with --engine k6: the k6 binary you installed (default: $LOADCTL_K6, then PATH); loadctl never downloads k6'),
  workers: () => new Option('--workers <n>', 'worker threads per instance (default: one per core)').argParser(parseInteger(1)),
  runner: () => new Option('--runner <runner>', "where instances run: local processes, ssh (the config's fleet.hosts; docs/ssh-fleet.md), or kubernetes (a Job; docs/kubernetes.md)").choices(['local', 'ssh', 'kubernetes']),
  acceptNewHostKeys: () => new Option('--accept-new-host-keys', 'with --runner ssh: record host keys known_hosts lacks (never changed ones)'),
  config: () => new Option('--config <path>', 'config file (default: ./loadctl.config.yaml when present)'),
  out: () => new Option('--out <file>', 'write the JSON report here (checked before anything runs)'),
  junit: () => new Option('--junit <file>', 'also write a JUnit report (one testcase per threshold per sub-scenario)'),
  markdown: () => new Option('--markdown <file>', 'also write a Markdown summary (appended to $GITHUB_STEP_SUMMARY too when set)'),
  html: () => new Option('--html <file>', 'also write a self-contained HTML report with timeline charts'),
  failOn: () => new Option('--fail-on <level>', `which level fails: critical (default) or warning`).choices(['warning', 'critical']),
  preflight: () => new Option('--no-preflight', 'skip the check that the target accepts a TCP connection before any instance starts'),
  dryRun: () => new Option('--dry-run', 'print the plan and start nothing'),
  color: () => new Option('--no-color', 'plain text'),
  maxRegression: () => new Option('--max-regression <percent>', 'a metric this much worse than the baseline is critical, e.g. 20% (default 10%)').argParser(parseRegressionLimitFlag),
  warnRegression: () => new Option('--warn-regression <percent>', 'a metric this much worse is a warning (default: half of --max-regression)').argParser(parseRegressionLimitFlag),
};

/** Adds the named shared options, in order; `descriptions` words one for this command where it differs. */
export function sharedOptions(names: readonly SharedOptionName[], descriptions: Partial<Record<SharedOptionName, string>> = {}): Option[] {
  return names.map((name) => {
    const option = SHARED_OPTIONS[name]();
    const description = descriptions[name];
    if (description !== undefined) option.description = description;
    return option;
  });
}

/** The flags that feed the config's resolution (defaults < file < env < flags), as resolveConfig takes them. */
export function configFlagsOf(flags: SharedFlags): ConfigFlags {
  const picked = {
    target: flags.target,
    targetMetrics: flags.targetMetrics,
    instances: flags.instances,
    engine: flags.engine,
    duration: flags.duration,
    rate: flags.rate,
    failOn: flags.failOn,
    ca: flags.ca,
    cert: flags.cert,
    key: flags.key,
    insecure: flags.insecure === true ? true : undefined,
  };
  return Object.fromEntries(Object.entries(picked).filter(([, value]) => value !== undefined));
}

/** `--junit`, `--markdown`, `--html` and `--out` as the report writer takes them. */
export function reportFilesOf(flags: SharedFlags): { out?: string; junit?: string; markdown?: string; html?: string } {
  const picked = { out: flags.out, junit: flags.junit, markdown: flags.markdown, html: flags.html };
  return Object.fromEntries(Object.entries(picked).filter(([, value]) => value !== undefined));
}
