/** The `kubernetes` section: defaults, resolution, and every problem named by its key path at once. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubernetesConfigError, resolveKubernetesConfig, type KubernetesConfigContext } from '../../../src/runners/kubernetes/kubernetes-config.js';
import { readKubernetesConfig } from '../../../src/runners/kubernetes/read-kubernetes-section.js';
import { buildRunJob, podCount } from '../../../src/runners/kubernetes/run-manifests.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const dir = makeTempDir('loadctl-kube-config-');
const context: KubernetesConfigContext = { baseDir: dir, env: {}, homeDir: '/home/tester' };

describe('resolveKubernetesConfig', () => {
  it('fills every default without a section', () => {
    assert.deepEqual(resolveKubernetesConfig(undefined, context), {
      kubeconfig: '/home/tester/.kube/config',
      context: null,
      namespace: 'default',
      image: 'node:22-slim',
      imagePullPolicy: 'IfNotPresent',
      resources: {},
      nodeSelector: {},
      tolerations: [],
      instancesPerPod: 1,
      startTimeoutMs: 120_000,
      progressTimeoutMs: 30_000,
    });
  });

  it('takes KUBECONFIG’s first file, and resolves a relative kubeconfig against the config directory', () => {
    assert.equal(resolveKubernetesConfig({}, { ...context, env: { KUBECONFIG: '/a/one:/a/two' } }).kubeconfig, '/a/one');
    assert.equal(resolveKubernetesConfig({ kubeconfig: 'kube/admin.conf' }, context).kubeconfig, join(dir, 'kube/admin.conf'));
    assert.equal(resolveKubernetesConfig({ kubeconfig: '~/k' }, context).kubeconfig, '/home/tester/k');
  });

  it('keeps resources, node selector and tolerations as written, numbers as quantities', () => {
    const resolved = resolveKubernetesConfig(
      { resources: { requests: { cpu: 2, memory: '1Gi' } }, nodeSelector: { 'loadctl.dev/pool': 'gen' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'load', effect: 'NoSchedule' }], startTimeout: '90s', instancesPerPod: 3 },
      context,
    );
    assert.deepEqual(resolved.resources, { requests: { cpu: '2', memory: '1Gi' } });
    assert.deepEqual(resolved.nodeSelector, { 'loadctl.dev/pool': 'gen' });
    assert.equal(resolved.tolerations[0]!.effect, 'NoSchedule');
    assert.equal(resolved.startTimeoutMs, 90_000);
    assert.equal(resolved.instancesPerPod, 3);
  });

  // Each problem: its key path and a fragment of the message or fix.
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['not a mapping', 'default', 'kubernetes', /mapping/],
    ['unknown key, with the near one', { namespce: 'x' }, 'kubernetes.namespce', /did you mean `namespace`/],
    ['namespace not a DNS label', { namespace: 'Load_Test' }, 'kubernetes.namespace', /lower-case/],
    ['pull policy', { imagePullPolicy: 'always' }, 'kubernetes.imagePullPolicy', /Always, IfNotPresent, Never/],
    ['bad quantity', { resources: { limits: { memory: 'lots' } } }, 'kubernetes.resources.limits.memory', /quantity/],
    ['unknown resource', { resources: { requests: { gpu: '1' } } }, 'kubernetes.resources.requests.gpu', /unknown key/],
    ['selector value not a string', { nodeSelector: { pool: true } }, 'kubernetes.nodeSelector.pool', /quote "true"/],
    ['toleration effect', { tolerations: [{ key: 'a', effect: 'NoScheduel' }] }, 'kubernetes.tolerations[0].effect', /NoSchedule, PreferNoSchedule, NoExecute/],
    ['Exists with a value', { tolerations: [{ key: 'a', operator: 'Exists', value: 'x' }] }, 'kubernetes.tolerations[0].value', /operator Equal/],
    ['instancesPerPod 0', { instancesPerPod: 0 }, 'kubernetes.instancesPerPod', /integer from 1/],
    ['startTimeout', { startTimeout: 'soon' }, 'kubernetes.startTimeout', /90s/],
    ['progressTimeout', { progressTimeout: -5 }, 'kubernetes.progressTimeout', /30s/],
  ];
  for (const [name, raw, path, pattern] of cases) {
    it(`names ${path}: ${name}`, () => {
      assert.throws(
        () => resolveKubernetesConfig(raw, context),
        (error: unknown) => {
          assert.ok(error instanceof KubernetesConfigError);
          const problem = error.problems.find((candidate) => candidate.path === path);
          assert.ok(problem, `a problem at ${path} in ${JSON.stringify(error.problems)}`);
          assert.match(`${problem.message} — ${problem.fix}`, pattern);
          assert.match(error.message, new RegExp(path.replace(/[[\].]/g, '\\$&')));
          return true;
        },
      );
    });
  }

  it('reports every problem at once', () => {
    assert.throws(() => resolveKubernetesConfig({ namespace: 'A', imagePullPolicy: 'x', instancesPerPod: -1 }, context), (error: KubernetesConfigError) => error.problems.length === 3);
  });

  it('reads the section from a config file (and defaults without one)', () => {
    const file = join(dir, 'loadctl.config.yaml');
    writeFileSync(file, 'kubernetes:\n  namespace: loadtest\n  kubeconfig: admin.conf\n');
    const resolved = readKubernetesConfig(file, {});
    assert.equal(resolved.namespace, 'loadtest');
    assert.equal(resolved.kubeconfig, join(dir, 'admin.conf'));
    assert.equal(readKubernetesConfig(null, {}).namespace, 'default');
  });
});

describe('buildRunJob', () => {
  it('one Indexed Job: run-id labels, deadline, TTL, no retries, no service-account token', () => {
    const config = resolveKubernetesConfig({ namespace: 'loadtest', instancesPerPod: 2 }, context);
    const job = buildRunJob({ runId: 'ab12cd34', pods: podCount(5, 2), durationMs: 60_000, config });
    assert.equal(job.metadata?.name, 'loadctl-ab12cd34');
    assert.equal(job.metadata?.labels?.['loadctl.dev/run-id'], 'ab12cd34');
    assert.equal(job.spec?.completionMode, 'Indexed');
    assert.equal(job.spec?.completions, 3);
    assert.equal(job.spec?.parallelism, 3);
    assert.equal(job.spec?.backoffLimitPerIndex, 0);
    assert.equal(job.spec?.activeDeadlineSeconds, 120 + 60 + 120);
    assert.equal(job.spec?.ttlSecondsAfterFinished, 60);
    assert.equal(job.spec?.template.spec?.automountServiceAccountToken, false);
    assert.equal(job.spec?.template.metadata?.labels?.['loadctl.dev/run-id'], 'ab12cd34');
  });
});
