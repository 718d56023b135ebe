import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-error.js';
import type { ConfigFlags, LoadctlConfigFile } from '../../src/config/config-types.js';
import { parseConfigText } from '../../src/config/parse-config.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { DEFAULT_THRESHOLD_LEVELS } from '../../src/verdict/threshold-levels.js';
import { repoRoot } from '../helpers/repo.js';

const FILE: LoadctlConfigFile = { target: { url: 'http://file:3000' }, run: { instances: 3, duration: '20s', rate: 300, engine: 'k6' } };
const ENV = { API_URL: 'http://env:3000', INSTANCES: '4', DURATION: '40s', RATE: '400' };
const FLAGS: ConfigFlags = { target: 'http://flag:3000', instances: '5', duration: '50s', rate: '500' };

describe('resolveConfig: defaults < file < env < flags', () => {
  const table: Array<[string, { flags?: ConfigFlags; file?: LoadctlConfigFile; env?: Record<string, string> }, [string, number, number | null, number | null]]> = [
    ['defaults', {}, ['http://127.0.0.1:3000', 2, null, null]],
    ['file over defaults', { file: FILE }, ['http://file:3000', 3, 20_000, 300]],
    ['env over file', { file: FILE, env: ENV }, ['http://env:3000', 4, 40_000, 400]],
    ['flags over env', { file: FILE, env: ENV, flags: FLAGS }, ['http://flag:3000', 5, 50_000, 500]],
    ['flags over defaults alone', { flags: FLAGS }, ['http://flag:3000', 5, 50_000, 500]],
    ['env alone', { env: ENV }, ['http://env:3000', 4, 40_000, 400]],
    ['RPS is the seed’s name for RATE', { env: { RPS: '1000' } }, ['http://127.0.0.1:3000', 2, null, 1000]],
    ['RATE wins over RPS', { env: { RPS: '1000', RATE: '2000' } }, ['http://127.0.0.1:3000', 2, null, 2000]],
    ['empty env values are unset', { file: FILE, env: { INSTANCES: '', API_URL: '' } }, ['http://file:3000', 3, 20_000, 300]],
  ];
  for (const [name, options, [url, instances, durationMs, rate]] of table) {
    it(name, () => {
      const config = resolveConfig(options);
      assert.deepEqual([config.target.url, config.run.instances, config.run.durationMs, config.run.rate], [url, instances, durationMs, rate]);
    });
  }
  it('phase validate/stress steps: defaults < phases.<phase> < RATE/DURATION < --rate/--duration (they ignored env and flags)', () => {
    const file: LoadctlConfigFile = { run: { rate: 300 }, phases: { validate: { rate: 700, duration: '7s' } } };
    const steps = (options: { flags?: ConfigFlags; file?: LoadctlConfigFile; env?: Record<string, string> }) => {
      const { validate, stress } = resolveConfig(options).phases;
      return [validate.rate, validate.durationMs, stress.rate, stress.durationMs];
    };
    assert.deepEqual(steps({}), [1000, 30_000, 10_000, 30_000]);
    assert.deepEqual(steps({ file }), [700, 7000, 10_000, 30_000], 'run.rate is not a phase step');
    assert.deepEqual(steps({ file, env: { RATE: '40', DURATION: '4' } }), [40, 4000, 40, 4000]);
    assert.deepEqual(steps({ file, env: { RATE: '40' }, flags: { rate: 50, duration: 5000 } }), [50, 5000, 50, 5000]);
  });
  it('engine and failOn: file < flags (no env knob)', () => {
    assert.equal(resolveConfig({ file: FILE }).run.engine, 'k6');
    assert.equal(resolveConfig({ file: FILE, flags: { engine: 'native' } }).run.engine, 'native');
    assert.equal(resolveConfig({ file: FILE, flags: { engine: 'node' } }).run.engine, 'native', 'node is the native engine\'s new name');
    assert.equal(resolveConfig({}).run.engine, 'auto');
    assert.equal(resolveConfig({ flags: { failOn: 'warning' } }).run.failOn, 'warning');
  });
  it('thresholds: the file overrides single levels, the rest stay the seed’s', () => {
    const config = resolveConfig({ file: { thresholds: { p95Ms: { warning: 200 } } } });
    assert.deepEqual(config.thresholds.p95Ms, { warning: 200, critical: 1000 });
    assert.deepEqual(config.thresholds.errorRate, DEFAULT_THRESHOLD_LEVELS.errorRate);
  });
  it('metrics URL: flag, file, else the local default, else none', () => {
    assert.equal(resolveConfig({}).target.metricsUrl, 'http://127.0.0.1:9464/metrics');
    assert.equal(resolveConfig({ env: { API_URL: 'http://api.example.com' } }).target.metricsUrl, null);
    assert.equal(resolveConfig({ file: { target: { metricsUrl: null } } }).target.metricsUrl, null);
    assert.equal(resolveConfig({ flags: { targetMetrics: 'none' } }).target.metricsUrl, null);
    assert.equal(resolveConfig({ flags: { targetMetrics: 'http://m:1/metrics' } }).target.metricsUrl, 'http://m:1/metrics');
  });
  it('durations: a bare number is seconds in the file and the environment alike, as for flags', () => {
    assert.equal(resolveConfig({ file: { run: { duration: 60 } } }).run.durationMs, 60_000);
    assert.equal(resolveConfig({ env: { DURATION: '60' } }).run.durationMs, 60_000);
    assert.equal(resolveConfig({ env: { DURATION: '1h30m' } }).run.durationMs, 5_400_000);
    assert.equal(resolveConfig({ flags: { duration: 1500 } }).run.durationMs, 1500, 'a number from a flag is the ms parseDurationFlag returned');
    const config = resolveConfig({ file: { abort: { window: 10 }, phases: { stress: { duration: 45 }, breakpoint: { stepDuration: '500ms' } } } });
    assert.equal(config.abort.windowSeconds, 10);
    assert.equal(config.phases.stress.durationMs, 45_000);
    assert.equal(config.phases.breakpoint.stepDurationMs, 500);
  });
  it('percentages: the file\'s 5% is the fraction 0.05 the verdict compares; 0 and null as they are', () => {
    const config = resolveConfig({
      file: {
        thresholds: { errorRate: { warning: '2.5%', critical: '20%' }, timeoutRate: { warning: 0, critical: null }, p95Ms: { warning: 300 } },
        abort: { errorRate: '50%', window: 0 },
        verdict: { generator: { iterationTolerance: '2%', cpuSaturation: '80%' } },
        phases: { breakpoint: { precision: '5%' } },
      },
    });
    assert.deepEqual(config.thresholds.errorRate, { warning: 0.025, critical: 0.2 });
    assert.deepEqual(config.thresholds.timeoutRate, { warning: 0, critical: null });
    assert.deepEqual(config.thresholds.p95Ms, { warning: 300, critical: 1000 });
    assert.deepEqual(config.abort, { errorRate: 0.5, windowSeconds: 0 });
    assert.deepEqual(config.verdict.generator, { scheduleLagP99Ms: 100, iterationTolerance: 0.02, cpuSaturation: 0.8 });
    assert.equal(config.phases.breakpoint.precision, 0.05);
  });
  it('abort window and phases from the file', () => {
    const config = resolveConfig({ file: { abort: { window: '5s' }, phases: { breakpoint: { stepDuration: '1m' } } } });
    assert.deepEqual(config.abort, { errorRate: 0.1, windowSeconds: 5 });
    assert.equal(config.phases.breakpoint.stepDurationMs, 60_000);
    assert.deepEqual(config.phases.validate, { rate: 1000, durationMs: 30_000 });
  });
});

describe('resolveConfig: TLS settings (issue 19)', () => {
  const https = 'https://api.example.test';
  it('flags over the file; a file path is relative to the config file', () => {
    const file: LoadctlConfigFile = { target: { url: https, ca: 'certs/ca.pem', cert: 'certs/client.pem', key: 'certs/client-key.pem' } };
    const tls = resolveConfig({ file, filePath: '/etc/loadctl/loadctl.config.yaml', flags: { ca: 'mine.pem' } }).target.tls;
    assert.deepEqual(tls.ca, { path: 'mine.pem', from: '--ca' });
    assert.deepEqual(tls.cert, { path: '/etc/loadctl/certs/client.pem', from: 'target.cert in loadctl.config.yaml' });
    assert.equal(tls.insecure, false);
    assert.equal(resolveConfig({ file: { target: { url: https, insecure: true } } }).target.tls.insecure, true);
  });
  it('a certificate without its key, or TLS settings for an http target, are refused', () => {
    assert.throws(() => resolveConfig({ flags: { target: https, cert: 'c.pem' } }), /--cert is given without --key/);
    assert.throws(() => resolveConfig({ flags: { target: https, key: 'k.pem' } }), /--key is given without --cert/);
    assert.throws(() => resolveConfig({ flags: { target: 'http://127.0.0.1:3000', ca: 'ca.pem', insecure: true } }), /--ca, --insecure apply to https targets only/);
  });
  it('an error-class list with network (written before tls had its class) counts tls too; one without network does not', () => {
    assert.deepEqual(resolveConfig({ file: { verdict: { errorClasses: ['503', 'network'] } } }).verdict.errorClasses, ['503', 'network', 'tls']);
    assert.deepEqual(resolveConfig({ file: { verdict: { errorClasses: ['503'] } } }).verdict.errorClasses, ['503']);
    assert.ok(resolveConfig({}).verdict.errorClasses.includes('tls'));
  });
});

describe('resolveConfig: bad env and flag values name their source and the fix', () => {
  const table: Array<[string, Parameters<typeof resolveConfig>[0], RegExp, RegExp]> = [
    ['INSTANCES=abc', { env: { INSTANCES: 'abc' } }, /environment variable INSTANCES: "abc" is not a whole number ≥ 1/, /instances/],
    ['--instances 0', { flags: { instances: '0' } }, /--instances: "0" is not a whole number/, /e\.g\. 4/],
    ['DURATION=1 minute', { env: { DURATION: '1 minute' } }, /environment variable DURATION: "1 minute" is not a duration > 0/, /a number with a unit ms, s, m or h, units combined as in 1h30m, or a bare number of seconds/],
    ['DURATION=0', { env: { DURATION: '0' } }, /environment variable DURATION: "0" is not a duration > 0/, /bare number of seconds/],
    ['--duration text from a caller', { flags: { duration: '-5s' } }, /--duration: "-5s" is not a duration > 0/, /1h30m/],
    ['RATE=-5', { env: { RATE: '-5' } }, /RATE: "-5" is not a rate > 0/, /requests per second/],
    ['--engine wrk', { flags: { engine: 'wrk' } }, /--engine: "wrk" is not an engine/, /auto, node, rust or k6/],
    ['--fail-on never', { flags: { failOn: 'never' } }, /--fail-on: "never"/, /warning or critical/],
  ];
  for (const [name, options, message, hint] of table) {
    it(name, () => assert.throws(() => resolveConfig(options), (e: unknown) => e instanceof ConfigError && message.test(e.message) && hint.test(e.hint ?? '') && e.exitCode === 2));
  }
});

describe('parseConfigText: every problem with file, line, key path, value and fix', () => {
  const text = [
    'target:', //                  1
    '  url: not-a-url', //         2
    'thresholds:', //              3
    '  p95Ms:', //                 4
    '    warning: fast', //        5
    '  errorRate: { critical: 0.1 }', // 6
    'run:', //                     7
    '  instances: 2.5', //         8
    '  engine: wrk', //            9
    '  durration: 30s', //         10
    'phases:', //                  11
    '  stress: { duration: soon }', // 12
  ].join('\n');
  const error = (() => {
    try {
      parseConfigText(text, 'my.yaml');
    } catch (e) {
      return e;
    }
    return null;
  })();
  const table: Array<[string, RegExp]> = [
    ['url', /my\.yaml:2:\d+ target\.url: "not-a-url" is not an http\(s\) URL — fix: write a base URL/],
    ['p95 warning', /my\.yaml:5:\d+ thresholds\.p95Ms\.warning: "fast" is not a number — fix: give milliseconds/],
    ['error rate', /my\.yaml:6:\d+ thresholds\.errorRate\.critical: 0\.1 is ambiguous: write 10% or 0\.1% — fix: write a number with the % sign/],
    ['instances', /my\.yaml:8:\d+ run\.instances: 2\.5 is not a whole number — fix: give a whole number ≥ 1/],
    ['engine', /my\.yaml:9:\d+ run\.engine: "wrk" is not one of "auto", "node", "native", "rust", "k6" — fix: use one of auto, node, native, rust, k6/],
    ['unknown key', /my\.yaml:10:3 run\.durration: unknown key 'durration' — fix: remove it or correct its spelling \(known here: instances, engine, duration/],
    ['duration', /my\.yaml:12:\d+ phases\.stress\.duration: "soon" is not a duration > 0 — fix: write a number with a unit ms, s, m or h, units combined as in 1h30m, or a bare number of seconds/],
  ];
  it('is a ConfigError with the usage exit code and no stack in its message', () => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /^my\.yaml has 7 problems:/);
  });
  for (const [name, pattern] of table) it(name, () => assert.match((error as ConfigError).message, pattern));
  it('YAML syntax errors give the line', () => {
    assert.throws(() => parseConfigText('run:\n  instances: [1, 2\n', 'x.yaml'), (e: unknown) => e instanceof ConfigError && /x\.yaml:\d+:\d+ \(document\): invalid YAML/.test(e.message));
  });
  it('an empty file is an empty config', () => assert.deepEqual(parseConfigText('', 'empty.yaml'), {}));
});

describe('loadctl.config.yaml at the repository root', () => {
  const file = parseConfigText(readFileSync(join(repoRoot(), 'loadctl.config.yaml'), 'utf8'), 'loadctl.config.yaml');
  const config = resolveConfig({ file });
  it('is valid and holds the seed’s levels, abort rule and phases', () => {
    assert.deepEqual(config.thresholds, DEFAULT_THRESHOLD_LEVELS);
    assert.deepEqual(config.abort, { errorRate: 0.1, windowSeconds: 10 });
    assert.deepEqual(config.phases.validate, { rate: 1000, durationMs: 30_000 });
    assert.deepEqual(config.phases.stress, { rate: 10_000, durationMs: 30_000 });
    assert.equal(config.target.url, 'http://127.0.0.1:3000');
  });
});
