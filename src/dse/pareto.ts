/**
 * Pareto machinery over objective vectors that are all minimised (a maximised objective is
 * negated by the caller). Used by NSGA-II and for pareto.csv.
 */

/** a dominates b: no worse in every objective and better in at least one. */
export function dominates(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) better = true;
  }
  return better;
}

/**
 * Constrained domination (Deb 2000): a feasible point beats an infeasible one, of two infeasible
 * points the one with the smaller violation wins, two feasible points compare by dominance.
 */
export function constrainedDominates(a: ArrayLike<number>, va: number, b: ArrayLike<number>, vb: number): boolean {
  if (va > 0 || vb > 0) return va < vb;
  return dominates(a, b);
}

/**
 * Fast non-dominated sort (Deb et al. 2002): fronts of indices, front 0 the non-dominated set.
 * `violation[i] > 0` marks point i infeasible (constrained domination). O(M·N²).
 */
export function nonDominatedSort(objs: readonly ArrayLike<number>[], violation?: ArrayLike<number>): number[][] {
  const n = objs.length;
  const v = (i: number): number => (violation ? violation[i]! : 0);
  const dominatedBy = new Int32Array(n);
  const dominatesList: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (constrainedDominates(objs[i]!, v(i), objs[j]!, v(j))) {
        dominatesList[i]!.push(j);
        dominatedBy[j]!++;
      } else if (constrainedDominates(objs[j]!, v(j), objs[i]!, v(i))) {
        dominatesList[j]!.push(i);
        dominatedBy[i]!++;
      }
    }
  }
  const fronts: number[][] = [];
  let current: number[] = [];
  for (let i = 0; i < n; i++) if (dominatedBy[i] === 0) current.push(i);
  while (current.length > 0) {
    fronts.push(current);
    const next: number[] = [];
    for (const i of current) {
      for (const j of dominatesList[i]!) if (--dominatedBy[j]! === 0) next.push(j);
    }
    next.sort((a, b) => a - b);
    current = next;
  }
  return fronts;
}

/**
 * Crowding distance of the members of one front (Deb et al. 2002): per objective, the normalised
 * gap between each member's neighbours; boundary members get +Infinity.
 */
export function crowdingDistance(objs: readonly ArrayLike<number>[], front: readonly number[]): Float64Array {
  const n = front.length;
  const dist = new Float64Array(n);
  if (n === 0) return dist;
  const m = objs[front[0]!]!.length;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < m; k++) {
    order.sort((a, b) => objs[front[a]!]![k]! - objs[front[b]!]![k]! || a - b);
    const lo = objs[front[order[0]!]!]![k]!;
    const hi = objs[front[order[n - 1]!]!]![k]!;
    dist[order[0]!] = Infinity;
    dist[order[n - 1]!] = Infinity;
    if (hi === lo) continue;
    for (let r = 1; r < n - 1; r++) {
      dist[order[r]!]! += (objs[front[order[r + 1]!]!]![k]! - objs[front[order[r - 1]!]!]![k]!) / (hi - lo);
    }
  }
  return dist;
}

/**
 * Indices of the non-dominated points (ascending). Lexicographic sort, then each point is
 * compared with the front found so far only: any dominator precedes it in that order, and a
 * dominated dominator is itself dominated by a front member. O(N log N + N·F).
 */
export function paretoFront(objs: readonly ArrayLike<number>[]): number[] {
  const order = objs.map((_, i) => i);
  order.sort((a, b) => {
    const x = objs[a]!, y = objs[b]!;
    for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return x[k]! - y[k]!;
    return a - b;
  });
  const front: number[] = [];
  for (const i of order) {
    if (!front.some((f) => dominates(objs[f]!, objs[i]!))) front.push(i);
  }
  return front.sort((a, b) => a - b);
}
