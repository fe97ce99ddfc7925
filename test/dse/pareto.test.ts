/** Pareto machinery against definitions written out naively in the test. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constrainedDominates, crowdingDistance, dominates, nonDominatedSort, paretoFront } from '../../src/dse/pareto.js';

/** Definition: a dominates b iff a ≤ b everywhere and a < b somewhere. */
const naiveDominates = (a: number[], b: number[]): boolean => a.every((x, i) => x <= b[i]!) && a.some((x, i) => x < b[i]!);

/** Fronts by repeated peeling of the non-dominated set (definition of the ranking). */
function naiveFronts(objs: number[][], viol: number[]): number[][] {
  const dom = (i: number, j: number): boolean =>
    viol[i]! > 0 || viol[j]! > 0 ? viol[i]! < viol[j]! : naiveDominates(objs[i]!, objs[j]!);
  let left = objs.map((_, i) => i);
  const fronts: number[][] = [];
  while (left.length) {
    const f = left.filter((i) => !left.some((j) => dom(j, i)));
    fronts.push(f);
    left = left.filter((i) => !f.includes(i));
  }
  return fronts;
}

// Small integer grids make ties and duplicates frequent, the hard cases for dominance code.
const vectors = (m: number) => fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: m, maxLength: m }), { minLength: 1, maxLength: 40 });

describe('pareto', () => {
  it('dominates matches the definition', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
      (a, b) => dominates(a, b) === naiveDominates(a, b)), { seed: 42, numRuns: 500 });
  });

  it('paretoFront equals the set of points no other point dominates', () => {
    fc.assert(fc.property(vectors(3), (objs) => {
      const expected = objs.map((_, i) => i).filter((i) => !objs.some((o) => naiveDominates(o, objs[i]!)));
      expect(paretoFront(objs)).toEqual(expected);
    }), { seed: 42, numRuns: 300 });
  });

  it('nonDominatedSort equals repeated peeling, with constrained domination', () => {
    fc.assert(fc.property(vectors(2), fc.array(fc.constantFrom(0, 0, 0, 0.5, 2, Infinity), { minLength: 40, maxLength: 40 }), (objs, v) => {
      const viol = objs.map((_, i) => v[i]!);
      const got = nonDominatedSort(objs, viol).map((f) => [...f].sort((a, b) => a - b));
      expect(got).toEqual(naiveFronts(objs, viol));
    }), { seed: 42, numRuns: 300 });
  });

  it('constrained domination: feasible beats infeasible, smaller violation wins', () => {
    expect(constrainedDominates([9, 9], 0, [1, 1], 0.1)).toBe(true);
    expect(constrainedDominates([1, 1], 0.1, [9, 9], 0)).toBe(false);
    expect(constrainedDominates([9, 9], 0.2, [1, 1], 0.3)).toBe(true);
    expect(constrainedDominates([1, 1], Infinity, [1, 1], Infinity)).toBe(false);
  });

  it('crowding distance matches the hand-computed values', () => {
    // Front of 4 points on f1 ∈ {0,1,3,4}, f2 = 4 − f1. Per objective range 4; interior points:
    // point f1=1: neighbours 0 and 3 → 3/4 per objective → 1.5; point f1=3: neighbours 1 and 4 → 1.5.
    const objs = [[3, 1], [0, 4], [4, 0], [1, 3]];
    const d = crowdingDistance(objs, [0, 1, 2, 3]);
    expect(Array.from(d)).toEqual([1.5, Infinity, Infinity, 1.5]);
    // A constant objective adds nothing (no division by a zero range).
    const flat = crowdingDistance([[0, 5], [1, 5], [2, 5]], [0, 1, 2]);
    expect(Array.from(flat)).toEqual([Infinity, 1, Infinity]);
  });
});
