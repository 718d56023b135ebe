import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeadlineQueue } from '../../../src/engines/native/deadline-queue.js';

class Holder {
  token = 0;
  constructor(readonly name: string) {}
}

describe('DeadlineQueue', () => {
  it('expires live requests oldest first, once, and skips the ones that ended', () => {
    const queue = new DeadlineQueue<Holder>();
    const [a, b, c] = [new Holder('a'), new Holder('b'), new Holder('c')];
    a.token = 1;
    queue.push(a, 1, 100);
    b.token = 2;
    queue.push(b, 2, 110);
    c.token = 3;
    queue.push(c, 3, 120);
    b.token = 0; // b's request ended
    const expired: string[] = [];
    queue.expire(99, (holder) => expired.push(holder.name));
    assert.equal(expired.length, 0);
    queue.expire(115, (holder) => expired.push(holder.name));
    assert.deepEqual(expired, ['a'], 'b ended before its deadline; c is not due');
    assert.equal(queue.length, 1);
    queue.expire(1_000, (holder) => expired.push(holder.name));
    assert.deepEqual(expired, ['a', 'c']);
    assert.equal(queue.length, 0);
  });

  it('a holder reused for a new request is not expired by its old entry', () => {
    const queue = new DeadlineQueue<Holder>();
    const vu = new Holder('vu');
    vu.token = 1;
    queue.push(vu, 1, 100);
    vu.token = 2; // first request ended, the VU carries a second one
    queue.push(vu, 2, 500);
    const expired: number[] = [];
    queue.expire(200, (holder) => expired.push(holder.token));
    assert.equal(expired.length, 0);
    queue.expire(500, (holder) => expired.push(holder.token));
    assert.deepEqual(expired, [2]);
  });

  it('keeps order while it grows past its ring and wraps around', () => {
    const queue = new DeadlineQueue<Holder>();
    const expired: number[] = [];
    let token = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 7 + round * 13; i++) {
        const holder = new Holder('h');
        holder.token = ++token;
        queue.push(holder, token, token);
      }
      queue.expire(token - 3, (holder) => expired.push(holder.token));
    }
    queue.expire(Infinity, (holder) => expired.push(holder.token));
    assert.deepEqual(expired, Array.from({ length: token }, (_, i) => i + 1));
  });
});
