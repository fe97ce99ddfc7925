/**
 * Search strategies as ask/tell generators over index vectors. They run on the main thread only
 * (workers just evaluate), take every random draw from one seeded Rng, and receive results in
 * point-id order — so the sequence of points depends on the seed and budget, never on --jobs.
 * Each strategy proposes only points it has not proposed before.
 */
import { Rng } from '../rng.js';
import type { PointRecord } from './evaluate.js';
import { crowdingDistance, nonDominatedSort } from './pareto.js';
import { baseIndex, pointAt, pointKey, type Space } from './space.js';

export interface Strategy {
  /** Up to `max` new points, [] when the strategy has nothing left to propose. */
  ask(max: number): Int32Array[];
  /** Results of the last batch, in the order asked. */
  tell(records: readonly PointRecord[]): void;
}

export const STRATEGIES = ['grid', 'random', 'nsga2'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

const BATCH = 256;

/** Every point in mixed-radix order (the last parameter varies fastest). */
export class GridStrategy implements Strategy {
  private next = 0;
  constructor(private readonly space: Space) {}
  ask(max: number): Int32Array[] {
    const out: Int32Array[] = [];
    while (out.length < Math.min(max, BATCH) && this.next < this.space.size) out.push(pointAt(this.space, this.next++));
    return out;
  }
  tell(): void {}
}

/** Uniform integer in [0, n) for n up to 2^53 (two 32-bit draws when needed). */
function bigInt(rng: Rng, n: number): number {
  if (n <= 4294967296) return rng.int(n);
  return Math.floor((rng.nextU32() * 4294967296 + rng.nextU32()) / 18446744073709551616 * n);
}

/**
 * Uniform sampling without replacement: a lazy Fisher–Yates shuffle of the point ordinals
 * (only displaced positions are stored), so the first k points of any run with the same seed
 * are the same whatever the budget.
 */
export class RandomStrategy implements Strategy {
  private i = 0;
  private readonly swapped = new Map<number, number>();
  constructor(private readonly space: Space, private readonly rng: Rng) {}
  private draw(): number {
    const n = this.space.size;
    const j = this.i + bigInt(this.rng, n - this.i);
    const vj = this.swapped.get(j) ?? j;
    this.swapped.set(j, this.swapped.get(this.i) ?? this.i);
    this.swapped.delete(this.i);
    this.i++;
    return vj;
  }
  ask(max: number): Int32Array[] {
    const out: Int32Array[] = [];
    while (out.length < Math.min(max, BATCH) && this.i < this.space.size) out.push(pointAt(this.space, this.draw()));
    return out;
  }
  tell(): void {}
}

export interface Nsga2Options {
  /** Parents per generation (and offspring per generation). */
  readonly population: number;
  readonly crossoverRate?: number;
  /** Per-parameter mutation probability (default 1 / number of parameters). */
  readonly mutationRate?: number;
}

interface Member {
  readonly rec: PointRecord;
  rank: number;
  crowd: number;
}

/**
 * NSGA-II (Deb et al. 2002) over index vectors: binary tournaments on (rank, crowding), uniform
 * crossover, per-parameter mutation (a ±1/±2 step along the value list, or a uniform redraw),
 * constrained domination for infeasible points, (μ+λ) elitist survival. The first population
 * holds the base design (so the search starts from the reference point) and random points.
 */
export class Nsga2Strategy implements Strategy {
  private parents: Member[] | null = null;
  private readonly seen = new Set<string>();
  private readonly random: RandomStrategy;
  private readonly cx: number;
  private readonly pm: number;

  constructor(private readonly space: Space, private readonly rng: Rng, private readonly opts: Nsga2Options) {
    this.random = new RandomStrategy(space, rng);
    this.cx = opts.crossoverRate ?? 0.9;
    this.pm = opts.mutationRate ?? 1 / Math.max(1, space.dims.length);
  }

  private fresh(idx: Int32Array, out: Int32Array[]): boolean {
    const k = pointKey(idx);
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    out.push(idx);
    return true;
  }

  /** A random point never proposed before, or undefined when the space is used up. */
  private randomUnseen(out: Int32Array[]): boolean {
    for (;;) {
      const p = this.random.ask(1)[0];
      if (!p) return false;
      if (this.fresh(p, out)) return true;
    }
  }

  ask(max: number): Int32Array[] {
    const want = Math.min(max, this.opts.population);
    const out: Int32Array[] = [];
    if (this.parents === null) {
      if (this.seen.size === 0) this.fresh(baseIndex(this.space), out);
      while (out.length < want && this.randomUnseen(out));
      return out.slice(0, want);
    }
    while (out.length < want) {
      const a = this.tournament();
      const b = this.tournament();
      const child = this.vary(a.rec.idx, b.rec.idx);
      let ok = this.fresh(child, out);
      // A duplicate child gets mutated again a few times before falling back to a random point.
      for (let t = 0; !ok && t < 8; t++) ok = this.fresh(this.mutate(child), out);
      if (!ok && !this.randomUnseen(out)) break;
    }
    return out;
  }

  private better(x: Member, y: Member): Member {
    if (x.rank !== y.rank) return x.rank < y.rank ? x : y;
    if (x.crowd !== y.crowd) return x.crowd > y.crowd ? x : y;
    return x.rec.id < y.rec.id ? x : y;
  }

  private tournament(): Member {
    const p = this.parents!;
    return this.better(p[this.rng.int(p.length)]!, p[this.rng.int(p.length)]!);
  }

  private vary(a: readonly number[], b: readonly number[]): Int32Array {
    const child = Int32Array.from(a);
    if (this.rng.uniform() < this.cx) {
      for (let i = 0; i < child.length; i++) if (this.rng.uniform() < 0.5) child[i] = b[i]!;
    }
    return this.mutate(child, true);
  }

  private mutate(idx: Int32Array, inPlace = false): Int32Array {
    const out = inPlace ? idx : Int32Array.from(idx);
    for (let i = 0; i < out.length; i++) {
      const n = this.space.dims[i]!.values.length;
      if (n < 2 || this.rng.uniform() >= this.pm) continue;
      if (this.rng.uniform() < 0.5) {
        const step = (this.rng.uniform() < 0.5 ? 1 : 2) * (this.rng.uniform() < 0.5 ? -1 : 1);
        out[i] = Math.min(n - 1, Math.max(0, out[i]! + step));
      } else {
        out[i] = (out[i]! + 1 + this.rng.int(n - 1)) % n;
      }
    }
    return out;
  }

  tell(records: readonly PointRecord[]): void {
    const pool: Member[] = [...(this.parents ?? []), ...records.map((rec) => ({ rec, rank: 0, crowd: 0 }))];
    const M = records[0]?.objectives?.length ?? this.parents?.[0]?.rec.objectives?.length ?? 0;
    const none = new Array<number>(M).fill(Infinity);
    const objs = pool.map((m) => m.rec.objectives ?? none);
    const viol = pool.map((m) => m.rec.violation);
    const fronts = nonDominatedSort(objs, viol);
    const next: Member[] = [];
    for (let r = 0; r < fronts.length && next.length < this.opts.population; r++) {
      const front = fronts[r]!;
      const crowd = crowdingDistance(objs.map((o, i) => (viol[i]! > 0 ? [viol[i]!] : o)), front);
      const members = front.map((i, k) => Object.assign(pool[i]!, { rank: r, crowd: crowd[k]! }));
      if (next.length + members.length > this.opts.population) {
        members.sort((x, y) => y.crowd - x.crowd || x.rec.id - y.rec.id);
      }
      next.push(...members.slice(0, this.opts.population - next.length));
    }
    this.parents = next;
  }
}

export function makeStrategy(name: StrategyName, space: Space, seed: number, population: number): Strategy {
  if (name === 'grid') return new GridStrategy(space);
  const rng = new Rng(seed);
  if (name === 'random') return new RandomStrategy(space, rng);
  return new Nsga2Strategy(space, rng, { population });
}
