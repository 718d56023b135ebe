/**
 * The `fleet` section of loadctl.config.yaml: which generator hosts to drive over SSH and how.
 * `FleetConfig` is what a user writes (optional fields); `resolveFleetConfig` validates it and
 * returns `ResolvedFleetConfig` (every field set). Each problem names its key path
 * (`fleet.hosts[2].port`), the bad value and the fix; all problems are reported at once.
 */
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { isAbsolute, join, posix, resolve } from 'node:path';
import { ConfigSectionError, type ConfigProblem } from '../errors/config-section-error.js';

/** One generator host as written in the config. */
export interface FleetHostConfig {
  host: string;
  /** Default 22. */
  port?: number;
  /** Default: the local user name (like ssh). */
  user?: string;
  /** Private key file; without it the SSH agent (`SSH_AUTH_SOCK`) authenticates. */
  identityFile?: string;
  /** Node ≥ 20 on the host (path or command name; default `node`). */
  node?: string;
  /** k6 on the host, for `--engine k6` (never installed by loadctl). */
  k6?: string;
  /** Where the agent bundle lives on the host; relative paths are under the user's home. Default `.loadctl`. */
  workDir?: string;
  /** Instances on this host (default 1). */
  instances?: number;
}

export interface FleetConfig {
  hosts: FleetHostConfig[];
  /** known_hosts file checked for every host key (default `~/.ssh/known_hosts`). */
  knownHosts?: string;
}

export interface ResolvedFleetHost {
  host: string;
  port: number;
  user: string;
  /** Absolute path of the private key, or null when the SSH agent authenticates. */
  identityFile: string | null;
  /** The SSH agent socket to use (when set in the environment), else null. */
  agentSocket: string | null;
  node: string;
  k6: string | null;
  workDir: string;
  instances: number;
  /** Where this host sits in the config, for messages: `fleet.hosts[2]`. */
  keyPath: string;
}

export interface ResolvedFleetConfig {
  hosts: ResolvedFleetHost[];
  knownHosts: string;
}

export interface FleetConfigContext {
  /** Relative local paths (identityFile, knownHosts) resolve against this: the config file's directory. */
  baseDir: string;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  /** Key path of the section, for messages (default `fleet`). */
  path?: string;
}

export type FleetConfigProblem = ConfigProblem;

/** The fleet section is invalid; `problems` lists each one with its key path and fix. */
export class FleetConfigError extends ConfigSectionError {
  constructor(problems: FleetConfigProblem[]) {
    super('fleet', problems, 'docs/ssh-fleet.md');
  }
}

const HOST_KEYS = ['host', 'port', 'user', 'identityFile', 'node', 'k6', 'workDir', 'instances'] as const;
const FLEET_KEYS = ['hosts', 'knownHosts'] as const;

/**
 * Where k6 is on a host: its configured `k6` path, else `<workDir>/k6` (where `fleet provision --k6`
 * pushes it). `fleet check --engine k6`, `fleet provision` and `run --engine k6 --runner ssh` all use this.
 */
export function remoteK6Path(host: ResolvedFleetHost): string {
  return host.k6 ?? posix.join(host.workDir, 'k6');
}

/** Validates and resolves the fleet section; throws FleetConfigError naming every problem. */
export function resolveFleetConfig(raw: unknown, context: FleetConfigContext): ResolvedFleetConfig {
  const problems: FleetConfigProblem[] = [];
  const resolved = collectFleet(raw, context, problems);
  if (problems.length > 0 || !resolved) throw new FleetConfigError(problems);
  return resolved;
}

/** The problems `resolveFleetConfig` would throw for, without throwing (for config loaders that gather all errors). */
export function checkFleetConfig(raw: unknown, context: FleetConfigContext): FleetConfigProblem[] {
  const problems: FleetConfigProblem[] = [];
  collectFleet(raw, context, problems);
  return problems;
}

function collectFleet(raw: unknown, context: FleetConfigContext, problems: FleetConfigProblem[]): ResolvedFleetConfig | null {
  const path = context.path ?? 'fleet';
  if (!isRecord(raw)) {
    problems.push({ path, value: raw, message: 'must be a mapping with a `hosts` list', fix: 'write `fleet:` then `hosts:` with one `- host: …` entry per generator' });
    return null;
  }
  checkUnknownKeys(raw, FLEET_KEYS, path, problems);
  const knownHosts = resolveLocalPath(raw.knownHosts, `${path}.knownHosts`, context, problems, false) ?? join(context.homeDir ?? homedir(), '.ssh', 'known_hosts');
  if (!Array.isArray(raw.hosts) || raw.hosts.length === 0) {
    problems.push({ path: `${path}.hosts`, value: raw.hosts, message: 'must be a non-empty list', fix: 'add at least one `- host: gen-1.example.com` entry' });
    return null;
  }
  const hosts = raw.hosts.map((entry, index) => collectHost(entry, `${path}.hosts[${index}]`, context, problems));
  checkDuplicates(hosts, problems);
  return hosts.every((host) => host !== null) ? { hosts: hosts as ResolvedFleetHost[], knownHosts } : null;
}

function collectHost(raw: unknown, path: string, context: FleetConfigContext, problems: FleetConfigProblem[]): ResolvedFleetHost | null {
  if (!isRecord(raw)) {
    problems.push({ path, value: raw, message: 'must be a mapping', fix: 'write `- host: NAME` with optional port, user, identityFile, node, k6, workDir, instances' });
    return null;
  }
  const before = problems.length;
  checkUnknownKeys(raw, HOST_KEYS, path, problems);
  const env = context.env ?? process.env;
  const host = checkString(raw.host, `${path}.host`, problems, { required: true, pattern: /^[A-Za-z0-9_.:%-]+$/, fix: 'a host name or IP address, e.g. gen-1.example.com or 10.0.0.5' });
  const port = checkInteger(raw.port, `${path}.port`, problems, 1, 65_535, 'a TCP port from 1 to 65535 (sshd listens on 22 by default)') ?? 22;
  const user = checkString(raw.user, `${path}.user`, problems, { pattern: /^[A-Za-z0-9_.][A-Za-z0-9_.-]*\$?$/, fix: 'a login name such as loadctl' }) ?? defaultUser(env);
  const identityFile = resolveLocalPath(raw.identityFile, `${path}.identityFile`, context, problems, true);
  const agentSocket = env.SSH_AUTH_SOCK ? env.SSH_AUTH_SOCK : null;
  if (raw.identityFile === undefined && !agentSocket) {
    problems.push({ path: `${path}.identityFile`, value: undefined, message: 'no key to authenticate with: identityFile is not set and SSH_AUTH_SOCK (the SSH agent) is unset', fix: 'set identityFile to a private key, or start ssh-agent and `ssh-add` your key' });
  }
  const node = checkString(raw.node, `${path}.node`, problems, { pattern: /^[^\0\n]+$/, fix: 'the path of Node ≥ 20 on that host, e.g. /usr/bin/node' }) ?? 'node';
  const k6 = checkString(raw.k6, `${path}.k6`, problems, { pattern: /^[^\0\n]+$/, fix: 'the path of k6 on that host (loadctl never installs k6)' }) ?? null;
  const workDir = checkString(raw.workDir, `${path}.workDir`, problems, { pattern: /^[^\0]+$/, fix: 'a directory on the host, e.g. /opt/loadctl or .loadctl (under the home directory)' }) ?? '.loadctl';
  const instances = checkInteger(raw.instances, `${path}.instances`, problems, 1, 1024, 'how many instances this host runs: an integer ≥ 1 (about one per core)') ?? 1;
  if (problems.length > before || host === undefined) return null;
  return { host, port, user, identityFile, agentSocket, node, k6, workDir, instances, keyPath: path };
}

function checkDuplicates(hosts: (ResolvedFleetHost | null)[], problems: FleetConfigProblem[]): void {
  const seen = new Map<string, string>();
  for (const host of hosts) {
    if (!host) continue;
    const key = `${host.host.toLowerCase()}:${host.port}`;
    const first = seen.get(key);
    if (first) problems.push({ path: `${host.keyPath}.host`, value: host.host, message: `same host and port as ${first}`, fix: `raise ${first}.instances instead of listing the host twice` });
    else seen.set(key, host.keyPath);
  }
}

function checkUnknownKeys(raw: Record<string, unknown>, allowed: readonly string[], path: string, problems: FleetConfigProblem[]): void {
  const normalise = (key: string) => key.toLowerCase().replace(/[-_]/g, '');
  for (const key of Object.keys(raw)) {
    if (allowed.includes(key)) continue;
    const near = allowed.find((name) => normalise(name) === normalise(key) || (key.toLowerCase().startsWith(name.toLowerCase()) && name.length >= 4));
    problems.push({ path: `${path}.${key}`, value: undefined, message: 'unknown key', fix: near ? `did you mean \`${near}\`?` : `known keys: ${allowed.join(', ')}` });
  }
}

function checkString(
  value: unknown,
  path: string,
  problems: FleetConfigProblem[],
  rule: { required?: boolean; pattern: RegExp; fix: string },
): string | undefined {
  if (value === undefined || value === null) {
    if (rule.required) problems.push({ path, value, message: 'is required', fix: rule.fix });
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '' || !rule.pattern.test(value) || value.startsWith('-')) {
    problems.push({ path, value, message: typeof value === 'string' ? 'is not valid here' : 'must be a string', fix: rule.fix });
    return undefined;
  }
  return value;
}

function checkInteger(value: unknown, path: string, problems: FleetConfigProblem[], min: number, max: number, fix: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.push({ path, value, message: `must be an integer from ${min} to ${max}`, fix });
    return undefined;
  }
  return value;
}

/** A local file path: `~` expanded, relative to the config's directory; `mustExist` for keys. */
function resolveLocalPath(value: unknown, path: string, context: FleetConfigContext, problems: FleetConfigProblem[], mustExist: boolean): string | null {
  const text = checkString(value, path, problems, { pattern: /^[^\0]+$/, fix: 'a file path on this machine' });
  if (text === undefined) return null;
  const home = context.homeDir ?? homedir();
  const expanded = text === '~' ? home : text.startsWith('~/') ? join(home, text.slice(2)) : text;
  const absolute = isAbsolute(expanded) ? expanded : resolve(context.baseDir, expanded);
  if (mustExist && !existsSync(absolute)) {
    problems.push({ path, value: text, message: `file not found (${absolute})`, fix: 'point it at an existing private key, e.g. ~/.ssh/id_ed25519 (or omit it to use the SSH agent)' });
    return null;
  }
  return absolute;
}

function defaultUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? 'root';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
