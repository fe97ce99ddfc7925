/**
 * Exact powers of two as doubles. Scaling a double by 2^k is exact as long as the result stays a
 * normal number, which is what makes the raw-integers-in-doubles fast path exact.
 */
const P2_MIN = -1074;
const P2_MAX = 1023;
const P2 = new Float64Array(P2_MAX - P2_MIN + 1);
P2[-P2_MIN] = 1;
for (let k = 1; k <= P2_MAX; k++) P2[k - P2_MIN] = P2[k - 1 - P2_MIN]! * 2;
for (let k = -1; k >= P2_MIN; k--) P2[k - P2_MIN] = P2[k + 1 - P2_MIN]! / 2;

/** 2^k for an integer k (0 below the subnormal range, Infinity above the double range). */
export function pow2(k: number): number {
  return k < P2_MIN ? 0 : k > P2_MAX ? Infinity : P2[k - P2_MIN]!;
}

/** 2^53: every integer of smaller magnitude is a double, and so is every sum that stays below it. */
export const TWO53 = 9007199254740992;
