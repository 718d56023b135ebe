import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScenarioDefinitionError, validateDefinition } from '../../src/scenario/validate-definition.js';
import { UsageError } from '../../contract/loadctl-error.js';
import { fullDefinition } from '../helpers/scenario-definitions.js';

const SOURCE = 'scenarios/full.ts';
const valid = fullDefinition;

// The cases write ill-typed values on purpose (what tsc would stop, an evaluated file does not).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Draft = any;

/** Applies `change` to a fresh valid definition and returns the issues it raises. */
function issuesOf(change: (definition: Draft) => void): ScenarioDefinitionError {
  const definition = valid();
  change(definition);
  try {
    validateDefinition(definition, SOURCE);
  } catch (error) {
    assert.ok(error instanceof ScenarioDefinitionError, `expected ScenarioDefinitionError, got ${String(error)}`);
    return error;
  }
  assert.fail('the definition was accepted');
}

describe('validateDefinition', () => {
  it('accepts the valid definition as it is', () => {
    assert.deepEqual(validateDefinition(valid(), SOURCE), valid());
  });

  it('names file, field path and bad value, with the fix as the hint (the issue example)', () => {
    const error = issuesOf((d) => (d.subScenarios[2].rate = -5));
    assert.equal(error.message, 'scenarios/full.ts: subScenarios[2].rate: -5 must be > 0');
    assert.match(error.hint ?? '', /requests per second/);
    assert.ok(error instanceof UsageError);
    assert.equal(error.exitCode, 2);
  });

  const cases: Array<[string, (d: Draft) => void, string, RegExp]> = [
    ['not an object', (d) => Object.assign(d, { subScenarios: 'x' }), 'subScenarios', /'x' must be a non-empty array/],
    ['empty sub-scenarios', (d) => (d.subScenarios = []), 'subScenarios', /\[\] must be a non-empty array/],
    ['missing name', (d) => delete d.name, 'name', /undefined must be a non-empty string/],
    ['bad scenario duration', (d) => (d.duration = '30 seconds'), 'duration', /'30 seconds' must be a duration > 0/],
    ['negative seed', (d) => (d.seed = -1), 'seed', /-1 must be a whole number ≥ 0/],
    ['sub-scenario name with capitals', (d) => (d.subScenarios[0].name = 'Single'), 'subScenarios[0].name', /'Single' must match \[a-z\]/],
    ['duplicate name', (d) => (d.subScenarios[1].name = 'single'), 'subScenarios[1].name', /'single' is used by an earlier sub-scenario/],
    ['unknown executor', (d) => (d.subScenarios[0].executor = 'constant-vus'), 'subScenarios[0].executor', /'constant-vus' is not an executor/],
    ['missing rate', (d) => delete d.subScenarios[0].rate, 'subScenarios[0].rate', /is missing/],
    ['rate not a number', (d) => (d.subScenarios[0].rate = '1000'), 'subScenarios[0].rate', /'1000' must be a number/],
    ['rate 0', (d) => (d.subScenarios[0].rate = 0), 'subScenarios[0].rate', /0 must be > 0/],
    ['infinite rate', (d) => (d.subScenarios[0].rate = Infinity), 'subScenarios[0].rate', /must be a number/],
    ['no duration anywhere', (d) => delete d.duration, 'subScenarios[0].duration', /is missing \(and the scenario has no duration\)/],
    ['zero duration', (d) => (d.subScenarios[0].duration = 0), 'subScenarios[0].duration', /0 must be a duration > 0/],
    ['stages on a constant rate', (d) => (d.subScenarios[0].stages = []), 'subScenarios[0].stages', /only for ramping-arrival-rate/],
    ['ramp without stages', (d) => (d.subScenarios[0] = { name: 'r', executor: 'ramping-arrival-rate' }), 'subScenarios[0].stages', /undefined must be a non-empty array/],
    ['ramp with rate', (d) => (d.subScenarios[0] = { name: 'r', executor: 'ramping-arrival-rate', rate: 5, stages: [{ duration: '1s', target: 1 }] }), 'subScenarios[0].rate', /only for constant-arrival-rate/],
    ['ramp with duration', (d) => (d.subScenarios[0] = { name: 'r', executor: 'ramping-arrival-rate', duration: '1m', stages: [{ duration: '1s', target: 1 }] }), 'subScenarios[0].duration', /sum of the stages/],
    ['ramp stage target negative', (d) => (d.subScenarios[0] = { name: 'r', executor: 'ramping-arrival-rate', stages: [{ duration: '1s', target: -1 }, { duration: '1s', target: 5 }] }), 'subScenarios[0].stages[0].target', /-1 must be ≥ 0/],
    ['ramp that never rises', (d) => (d.subScenarios[0] = { name: 'r', executor: 'ramping-arrival-rate', stages: [{ duration: '1s', target: 0 }] }), 'subScenarios[0].stages', /never rise above 0/],
    ['ramp of 0 ms', (d) => (d.subScenarios[0] = { name: 'r', executor: 'ramping-arrival-rate', stages: [{ duration: 0, target: 5 }] }), 'subScenarios[0].stages', /last 0 ms/],
    ['negative startTime', (d) => (d.subScenarios[0].startTime = -1), 'subScenarios[0].startTime', /-1 must be a duration ≥ 0/],
    ['fractional batch size', (d) => (d.subScenarios[1].batchSize = 2.5), 'subScenarios[1].batchSize', /2.5 must be a whole number 1–100000/],
    ['unknown event type', (d) => (d.subScenarios[0].eventTypes = { page_veiw: 1 }), 'subScenarios[0].eventTypes.page_veiw', /is not a field loadctl knows/],
    ['negative weight', (d) => (d.subScenarios[0].eventTypes = { page_view: -1 }), 'subScenarios[0].eventTypes.page_view', /-1 must be 0 or between 0.05 and 1000/],
    ['all weights 0', (d) => (d.subScenarios[0].eventTypes = { page_view: 0 }), 'subScenarios[0].eventTypes', /every event type weight 0/],
    ['path without slash', (d) => (d.subScenarios[0].path = 'v1/events'), 'subScenarios[0].path', /'v1\/events' must start with \//],
    ['GET', (d) => (d.subScenarios[0].method = 'GET'), 'subScenarios[0].method', /'GET' must be 'POST' or 'PUT'/],
    ['header value not a string', (d) => (d.subScenarios[0].headers = { 'x-n': 1 }), 'subScenarios[0].headers.x-n', /1 must be a string/],
    ['bad header name', (d) => (d.subScenarios[0].headers = { 'a b': 'x' }), 'subScenarios[0].headers.a b', /not a valid header name/],
    ['timeout 0', (d) => (d.subScenarios[0].timeout = '0s'), 'subScenarios[0].timeout', /'0s' must be a duration > 0/],
    ['status out of range', (d) => (d.subScenarios[0].expectStatus = [202, 700]), 'subScenarios[0].expectStatus[1]', /700 must be an HTTP status/],
    ['VUs 0', (d) => (d.subScenarios[0].maxVUs = 0), 'subScenarios[0].maxVUs', /0 must be a whole number ≥ 1/],
    ['pre-allocated above max', (d) => Object.assign(d.subScenarios[0], { preAllocatedVUs: 10, maxVUs: 5 }), 'subScenarios[0].preAllocatedVUs', /10 must be ≤ maxVUs \(5\)/],
    ['typo in a field', (d) => (d.subScenarios[0].maxVus = 5), 'subScenarios[0].maxVus', /is not a field loadctl knows/],
    ['unknown threshold', (d) => (d.thresholds = { p90Ms: {} }), 'thresholds.p90Ms', /is not a field loadctl knows/],
    ['error rate as a percentage', (d) => (d.subScenarios[0].thresholds = { errorRate: { warning: 5 } }), 'subScenarios[0].thresholds.errorRate.warning', /5 must be a fraction 0–1/],
    ['warning above critical', (d) => (d.thresholds = { p95Ms: { warning: 900, critical: 800 } }), 'thresholds.p95Ms', /warning 900 must be ≤ critical 800/],
  ];
  for (const [name, change, path, problem] of cases) {
    it(`${name}: ${path}`, () => {
      const error = issuesOf(change);
      const issue = error.issues.find((candidate) => candidate.path === path);
      assert.ok(issue, `no issue at ${path}; got ${JSON.stringify(error.issues)}`);
      assert.match(issue.problem, problem);
      assert.ok(issue.fix.length > 10, 'every issue carries a fix');
      assert.match(error.message, new RegExp(`^scenarios/full\\.ts: ${path.replace(/[[\]().]/g, '\\$&')}: `, 'm'));
    });
  }

  it('suggests the field a typo meant', () => {
    const error = issuesOf((d) => (d.subScenarios[0].ratee = 5));
    assert.equal(error.issues[0]!.fix, 'did you mean rate?');
  });

  it('reports every problem at once, one line each', () => {
    const error = issuesOf((d) => {
      d.subScenarios[0].rate = -1;
      d.subScenarios[2].batchSize = 0;
    });
    assert.equal(error.issues.length, 2);
    assert.equal(error.message.split('\n').length, 2);
  });

  it('refuses a default export that is not an object', () => {
    assert.throws(() => validateDefinition(undefined, SOURCE), /scenarios\/full\.ts: the default export is undefined, not a scenario/);
  });
});
