/** Strategies on synthetic spaces whose true Pareto front is known by enumeration. */
import { describe, expect, it } from 'vitest';
import type { PointRecord } from '../../src/dse/evaluate.js';
import { paretoFront } from '../../src/dse/pareto.js';
import { Rng } from '../../src/rng.js';
import { pointAt, pointKey, type Space } from '../../src/dse/space.js';
import { GridStrategy, Nsga2Strategy, RandomStrategy, type Strategy } from '../../src/dse/strategies.js';

function space(...sizes: number[]): Space {
  return {
    dims: sizes.map((n, i) => ({ name: `p${i}`, values: Array.from({ length: n }, (_, k) => k) })),
    base: {}, size: sizes.reduce((a, b) => a * b, 1),
  };
}

/** ZDT1 on a 40 × 40 grid: f1 = x, f2 = g·(1 − √(x/g)), g = 1 + 9y; the true front is y = 0. */
function zdt1(idx: readonly number[]): number[] {
  const x = idx[0]! / 39, y = idx[1]! / 39;
  const g = 1 + 9 * y;
  return [x, g * (1 - Math.sqrt(x / g))];
}

function drive(s: Strategy, budget: number, f: (idx: readonly number[]) => number[], violation = (_: readonly number[]) => 0): PointRecord[] {
  const all: PointRecord[] = [];
  let id = 0;
  while (id < budget) {
    const batch = s.ask(budget - id);
    if (batch.length === 0) break;
    const recs = batch.map((p): PointRecord => {
      const idx = Array.from(p);
      const v = violation(idx);
      return { id: id++, idx, status: v > 0 ? 'constraint' : 'ok', reasons: [], detail: '', metrics: [], objectives: f(idx), violation: v };
    });
    s.tell(recs);
    all.push(...recs);
  }
  return all;
}

/** How many points of the true front (found by enumerating the space) a run evaluated. */
function trueFrontHits(sp: Space, recs: PointRecord[], f: (idx: readonly number[]) => number[], ok = (_: readonly number[]) => true): number {
  const pts = Array.from({ length: sp.size }, (_, n) => Array.from(pointAt(sp, n))).filter(ok);
  const front = new Set(paretoFront(pts.map(f)).map((i) => pointKey(pts[i]!)));
  return new Set(recs.filter((r) => r.violation === 0 && front.has(pointKey(r.idx))).map((r) => pointKey(r.idx))).size;
}

describe('strategies', () => {
  it('grid proposes every point exactly once, then stops', () => {
    const sp = space(3, 4, 5);
    const recs = drive(new GridStrategy(sp), 1000, () => [0]);
    expect(recs.length).toBe(60);
    expect(new Set(recs.map((r) => pointKey(r.idx))).size).toBe(60);
  });

  it('random samples without replacement, covers a small space, and is reproducible from its seed', () => {
    const sp = space(7, 9);
    const a = drive(new RandomStrategy(sp, new Rng(5)), 1000, () => [0]).map((r) => pointKey(r.idx));
    expect(a.length).toBe(63);
    expect(new Set(a).size).toBe(63);
    const b = drive(new RandomStrategy(sp, new Rng(5)), 20, () => [0]).map((r) => pointKey(r.idx));
    expect(b).toEqual(a.slice(0, 20));
    const c = drive(new RandomStrategy(sp, new Rng(6)), 20, () => [0]).map((r) => pointKey(r.idx));
    expect(c).not.toEqual(b);
  });

  it('NSGA-II never repeats a point and stops when the space is used up', () => {
    const sp = space(2, 3);
    const recs = drive(new Nsga2Strategy(sp, new Rng(1), { population: 4 }), 100, zdt1);
    expect(recs.length).toBe(6);
    expect(new Set(recs.map((r) => pointKey(r.idx))).size).toBe(6);
  });

  it('NSGA-II finds far more of the true ZDT1 front than random search with the same budget', () => {
    const sp = space(40, 40);
    const budget = 400;
    const nsga = trueFrontHits(sp, drive(new Nsga2Strategy(sp, new Rng(42), { population: 40 }), budget, zdt1), zdt1);
    const rand = trueFrontHits(sp, drive(new RandomStrategy(sp, new Rng(42)), budget, zdt1), zdt1);
    // Random search expects 40 · 400/1600 = 10 front points.
    expect(rand).toBeLessThan(20);
    expect(nsga).toBeGreaterThanOrEqual(34);
  });

  it('NSGA-II with constraints converges to the feasible front (constrained domination)', () => {
    const sp = space(40, 40);
    // Feasible only when x ≥ 0.3 or y ≥ 0.5: part of the unconstrained front is cut away.
    const viol = (idx: readonly number[]): number => (idx[0]! >= 12 || idx[1]! >= 20 ? 0 : (12 - idx[0]!) / 12);
    const recs = drive(new Nsga2Strategy(sp, new Rng(3), { population: 40 }), 480, zdt1, viol);
    const hits = trueFrontHits(sp, recs, zdt1, (idx) => viol(idx) === 0);
    const all = Array.from({ length: sp.size }, (_, n) => Array.from(pointAt(sp, n))).filter((i) => viol(i) === 0);
    const frontSize = paretoFront(all.map(zdt1)).length;
    expect(hits / frontSize).toBeGreaterThan(0.8);
  });
});
