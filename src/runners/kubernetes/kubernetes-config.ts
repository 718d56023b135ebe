/**
 * The `kubernetes` section of loadctl.config.yaml: which cluster, namespace and image carry a
 * `--runner kubernetes` run (docs/kubernetes.md). `KubernetesConfig` is what a user writes;
 * `resolveKubernetesConfig` validates it and returns `ResolvedKubernetesConfig` (every field set).
 * Each problem names its key path (`kubernetes.tolerations[1].effect`), the bad value and the fix;
 * all problems are reported at once, as for the `fleet` section.
 */
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { ConfigSectionError, type ConfigProblem } from '../../errors/config-section-error.js';
import { parseDuration } from '../../scenario/duration.js';
import { SectionReader } from './section-reader.js';

export interface KubernetesToleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Requests and limits as Kubernetes quantities (`500m`, `1Gi`). */
export interface KubernetesResources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export interface ResolvedKubernetesConfig {
  /** The kubeconfig file (KUBECONFIG's first entry, else ~/.kube/config, unless set). */
  kubeconfig: string;
  /** The kubeconfig context; null = its current-context. */
  context: string | null;
  namespace: string;
  /** A stock image with Node ≥ 20 on PATH as `node`; the agent bundle comes from a ConfigMap. */
  image: string;
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  resources: KubernetesResources;
  nodeSelector: Record<string, string>;
  tolerations: KubernetesToleration[];
  /** Agents started in each pod (each one an instance). */
  instancesPerPod: number;
  /** How long pods may take to be scheduled and running before the run fails. */
  startTimeoutMs: number;
  /** Mid-run, how long an instance may send nothing before it counts as lost (a frozen pod, a dead node). */
  progressTimeoutMs: number;
}

export const DEFAULT_KUBERNETES_IMAGE = 'node:22-slim';
const KEYS = ['kubeconfig', 'context', 'namespace', 'image', 'imagePullPolicy', 'resources', 'nodeSelector', 'tolerations', 'instancesPerPod', 'startTimeout', 'progressTimeout'] as const;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** The kubernetes section is invalid; `problems` lists each one with its key path and fix. */
export class KubernetesConfigError extends ConfigSectionError {
  constructor(problems: ConfigProblem[]) {
    super('kubernetes', problems, 'docs/kubernetes.md');
  }
}

export interface KubernetesConfigContext {
  /** A relative `kubeconfig` resolves against this: the config file's directory. */
  baseDir: string;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

/** Validates and resolves the kubernetes section (absent = every default); throws naming every problem. */
export function resolveKubernetesConfig(raw: unknown, context: KubernetesConfigContext): ResolvedKubernetesConfig {
  const reader = new SectionReader('kubernetes');
  const section = raw === undefined || raw === null ? {} : reader.mapping(raw, 'kubernetes', 'write `kubernetes:` then keys such as namespace and image (docs/kubernetes.md)');
  if (!section) throw new KubernetesConfigError(reader.problems);
  reader.unknownKeys(section, 'kubernetes', KEYS);
  const config: ResolvedKubernetesConfig = {
    kubeconfig: resolveKubeconfig(reader.string(section.kubeconfig, 'kubernetes.kubeconfig', /^[^\0]+$/, 'a kubeconfig file path'), context),
    context: reader.string(section.context, 'kubernetes.context', /^[^\0\n]+$/, 'a context name from the kubeconfig (`kubectl config get-contexts`)') ?? null,
    namespace: reader.string(section.namespace, 'kubernetes.namespace', DNS_LABEL, 'a namespace name: lower-case letters, digits and -') ?? 'default',
    image: reader.string(section.image, 'kubernetes.image', /^[^\s]+$/, `an image with Node ≥ 20 as \`node\` on PATH, e.g. ${DEFAULT_KUBERNETES_IMAGE}`) ?? DEFAULT_KUBERNETES_IMAGE,
    imagePullPolicy: reader.oneOf(section.imagePullPolicy, 'kubernetes.imagePullPolicy', ['Always', 'IfNotPresent', 'Never'] as const) ?? 'IfNotPresent',
    resources: readResources(reader, section.resources),
    nodeSelector: readLabels(reader, section.nodeSelector, 'kubernetes.nodeSelector') ?? {},
    tolerations: readTolerations(reader, section.tolerations),
    instancesPerPod: reader.integer(section.instancesPerPod, 'kubernetes.instancesPerPod', 1, 256, 'agents per pod: an integer ≥ 1 (about one per CPU the pod requests)') ?? 1,
    startTimeoutMs: readDuration(reader, section.startTimeout, 'kubernetes.startTimeout', 120_000, 'a duration such as 90s or 5m (pulling an image can take minutes)'),
    // Agents report progress every second; 30 s also covers the in-flight drain after the schedule.
    progressTimeoutMs: readDuration(reader, section.progressTimeout, 'kubernetes.progressTimeout', 30_000, 'a duration such as 30s (agents report every second)'),
  };
  if (reader.problems.length > 0) throw new KubernetesConfigError(reader.problems);
  return config;
}

/** Like kubectl: the setting, else KUBECONFIG's first file, else ~/.kube/config. */
function resolveKubeconfig(value: string | undefined, context: KubernetesConfigContext): string {
  const home = context.homeDir ?? homedir();
  if (value === undefined) {
    const fromEnv = (context.env ?? process.env).KUBECONFIG?.split(delimiter).find((path) => path !== '');
    return fromEnv ?? join(home, '.kube', 'config');
  }
  const expanded = value === '~' ? home : value.startsWith('~/') ? join(home, value.slice(2)) : value;
  return isAbsolute(expanded) ? expanded : resolve(context.baseDir, expanded);
}

function readResources(reader: SectionReader, raw: unknown): KubernetesResources {
  if (raw === undefined || raw === null) return {};
  const section = reader.mapping(raw, 'kubernetes.resources', 'write `requests:` and/or `limits:` with cpu and memory');
  if (!section) return {};
  reader.unknownKeys(section, 'kubernetes.resources', ['requests', 'limits']);
  const resources: KubernetesResources = {};
  for (const kind of ['requests', 'limits'] as const) {
    if (section[kind] === undefined) continue;
    const path = `kubernetes.resources.${kind}`;
    const amounts = reader.mapping(section[kind], path, 'write `cpu: 500m` and/or `memory: 512Mi`');
    if (!amounts) continue;
    reader.unknownKeys(amounts, path, ['cpu', 'memory', 'ephemeral-storage']);
    const checked = Object.entries(amounts).map(([name, value]) => [name, reader.string(typeof value === 'number' ? String(value) : value, `${path}.${name}`, QUANTITY, 'a Kubernetes quantity such as 500m, 2, 512Mi or 1Gi')]);
    resources[kind] = Object.fromEntries(checked.filter(([, value]) => value !== undefined)) as Record<string, string>;
  }
  return resources;
}

function readLabels(reader: SectionReader, raw: unknown, path: string): Record<string, string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  const labels = reader.mapping(raw, path, 'write label: value pairs, e.g. `loadctl.dev/generator: "true"`');
  if (!labels) return undefined;
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY.test(key)) reader.problem(`${path}.${key}`, undefined, 'is not a valid label key', 'a label key such as kubernetes.io/arch or pool');
    reader.string(value, `${path}.${key}`, LABEL_VALUE, 'a label value (quote "true" and numbers in YAML)');
  }
  return labels as Record<string, string>;
}

function readTolerations(reader: SectionReader, raw: unknown): KubernetesToleration[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    reader.problem('kubernetes.tolerations', raw, 'must be a list', 'write one `- key: …` entry per taint to tolerate');
    return [];
  }
  return raw.flatMap((entry, index) => {
    const path = `kubernetes.tolerations[${index}]`;
    const item = reader.mapping(entry, path, 'write key, operator (Equal or Exists), value and effect');
    if (!item) return [];
    reader.unknownKeys(item, path, ['key', 'operator', 'value', 'effect']);
    const toleration: KubernetesToleration = {};
    const key = reader.string(item.key, `${path}.key`, LABEL_KEY, 'the taint key, e.g. dedicated');
    const operator = reader.oneOf(item.operator, `${path}.operator`, ['Exists', 'Equal'] as const);
    const value = reader.string(item.value, `${path}.value`, LABEL_VALUE, 'the taint value');
    const effect = reader.oneOf(item.effect, `${path}.effect`, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const);
    if (operator === 'Exists' && value !== undefined) reader.problem(`${path}.value`, value, 'must be empty with operator Exists', 'drop value, or use operator Equal');
    if (key !== undefined) toleration.key = key;
    if (operator !== undefined) toleration.operator = operator;
    if (value !== undefined) toleration.value = value;
    if (effect !== undefined) toleration.effect = effect;
    return [toleration];
  });
}

function readDuration(reader: SectionReader, raw: unknown, path: string, fallbackMs: number, fix: string): number {
  if (raw === undefined || raw === null) return fallbackMs;
  // A bare number is seconds, as for every duration in the config file.
  const ms = typeof raw === 'number' ? raw * 1000 : parseDuration(raw);
  if (ms !== null && ms > 0) return ms;
  reader.problem(path, raw, 'is not a positive duration', fix);
  return fallbackMs;
}
