import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChildIndex } from '../../../src/core/profile/child-index';

describe('ChildIndex', () => {
  it('finds each (parent, function) child again, across growth, and adds only new ones', () => {
    const index = new ChildIndex();
    const expected = new Map<string, number>();
    let next = 0;
    // parents and functions large enough that parent × functions would outgrow a small integer
    for (let i = 0; i < 50_000; i++) {
      const parent = (i * 7919) % 40_000;
      const func = ((i * 104_729) % 30_011) - 1; // -1 (a root's function) included
      const key = `${parent}/${func}`;
      const got = index.childOr(parent, func, next);
      if (expected.has(key)) assert.equal(got, expected.get(key));
      else {
        assert.equal(got, next);
        expected.set(key, next++);
      }
    }
    for (const [key, child] of expected) {
      const [parent, func] = key.split('/').map(Number);
      assert.equal(index.childOr(parent, func, -5), child);
    }
    assert.equal(index.childOr(2_000_000_000, 2_000_000_000, next), next);
    assert.equal(index.childOr(2_000_000_000, 2_000_000_000, next + 1), next);
  });
});
