import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spreadInstances } from '../../../src/runners/ssh/spread-instances.js';
import { UsageError } from '../../../contract/loadctl-error.js';

const hosts = (...capacities: number[]) => capacities.map((instances, index) => ({ name: `h${index}`, instances }));
const placed = (capacities: number[], count: number) => spreadInstances(hosts(...capacities), count).map((p) => `${p.host}.${p.ordinal}`).join(' ');

describe('spreadInstances', () => {
  const cases: Array<[string, number[], number, string]> = [
    ['one per host', [1, 1, 1, 1], 4, '0.0 1.0 2.0 3.0'],
    ['fewer instances than hosts use the first hosts', [1, 1, 1, 1], 2, '0.0 1.0'],
    ['round-robin before a second instance anywhere', [2, 2], 3, '0.0 1.0 0.1'],
    ['a full host is skipped', [3, 1], 4, '0.0 1.0 0.1 0.2'],
    ['exactly the capacity', [2, 1, 2], 5, '0.0 1.0 2.0 0.1 2.1'],
  ];
  for (const [name, capacities, count, expected] of cases) it(name, () => assert.equal(placed(capacities, count), expected));

  it('refuses more instances than the hosts allow, naming the capacity and the fix', () => {
    assert.throws(() => spreadInstances(hosts(2, 1), 4), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /--instances 4 is more than the fleet allows: 3 \(h0 ×2, h1 ×1\)/);
      assert.match(error.hint!, /lower --instances to 3/);
      return true;
    });
  });

  it('refuses zero instances', () => assert.throws(() => spreadInstances(hosts(1), 0), UsageError));
});
