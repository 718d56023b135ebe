import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gridCdf, mixtureCdf, mixtureQuantile } from '../../src/merge/quantile-mixture.js';

describe('gridCdf', () => {
  const grid: Array<[number, number]> = [[0, 10], [0.5, 20], [0.9, 20], [1, 40]];
  const table: Array<[number, number]> = [
    [5, 0],
    [10, 0],
    [15, 0.25],
    [20, 0.9], // a repeated value is an atom: the largest q at that value
    [30, 0.95],
    [40, 1],
    [99, 1],
  ];
  for (const [x, expected] of table) it(`F(${x}) = ${expected}`, () => assert.ok(Math.abs(gridCdf(grid, x) - expected) < 1e-12));
});

describe('mixtureQuantile', () => {
  // Two uniform distributions: U(0, 100) with 3 parts, U(100, 200) with 1 part.
  const a = { count: 300, points: [[0, 0], [1, 100]] as Array<[number, number]> };
  const b = { count: 100, points: [[0, 100], [1, 200]] as Array<[number, number]> };
  const table: Array<[number, number]> = [
    [0.5, 66.6667],
    [0.75, 100],
    [0.95, 180],
    [0.99, 196],
  ];
  for (const [q, expected] of table) {
    it(`q = ${q} → ${expected}`, () => assert.ok(Math.abs(mixtureQuantile([a, b], q) - expected) < 1e-3, String(mixtureQuantile([a, b], q))));
  }
  it('inverts the mixture CDF', () => {
    for (const q of [0.1, 0.33, 0.8, 0.999]) assert.ok(Math.abs(mixtureCdf([a, b], mixtureQuantile([a, b], q)) - q) < 1e-9);
  });
  it('ignores empty components and answers 0 when all are empty', () => {
    assert.equal(mixtureQuantile([{ count: 0, points: [] }], 0.5), 0);
    assert.ok(Math.abs(mixtureQuantile([a, { count: 0, points: [] }], 0.5) - 50) < 1e-9);
  });
  it('a point mass (all values equal) answers that value', () => {
    assert.equal(mixtureQuantile([{ count: 5, points: [[0, 7], [0.5, 7], [1, 7]] }], 0.95), 7);
  });
});
