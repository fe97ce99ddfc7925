/**
 * Test-side, obviously-correct fixed-point reference in BigInt (independent of src/fixed): a value
 * is an exact rational v·2^-F with v a BigInt. qRef is Q_T of such a value: quantisation mode on
 * the exact remainder, then the overflow mode (AP_WRAP with N = 0, AP_SAT, AP_SAT_ZERO,
 * AP_SAT_SYM — the modes the simulator tests draw from).
 */
import type { FixedType } from '../../../../src/fixed/type.js';

export function floorDiv(a: bigint, d: bigint): bigint {
  const q = a / d; // truncates toward zero
  return a % d !== 0n && a < 0n ? q - 1n : q;
}

export function qRef(v: bigint, F: number, t: FixedType): bigint {
  const sh = F - t.F;
  let r: bigint;
  if (sh <= 0) {
    r = v << BigInt(-sh);
  } else {
    const d = 1n << BigInt(sh);
    const fl = floorDiv(v, d);
    const rem = v - fl * d; // 0 ≤ rem < d
    const twice = 2n * rem;
    const neg = v < 0n;
    const odd = (fl & 1n) === 1n;
    let up: boolean;
    if (rem === 0n) up = false;
    else {
      switch (t.q) {
        case 'AP_TRN': up = false; break;
        case 'AP_TRN_ZERO': up = neg; break;
        case 'AP_RND': up = twice >= d; break;
        case 'AP_RND_ZERO': up = twice > d || (twice === d && neg); break;
        case 'AP_RND_MIN_INF': up = twice > d; break;
        case 'AP_RND_INF': up = twice > d || (twice === d && !neg); break;
        case 'AP_RND_CONV': up = twice > d || (twice === d && odd); break;
      }
    }
    r = up ? fl + 1n : fl;
  }
  const W = BigInt(t.W);
  const min = t.signed ? -(1n << (W - 1n)) : 0n;
  const max = t.signed ? (1n << (W - 1n)) - 1n : (1n << W) - 1n;
  // AP_SAT_SYM never yields the most negative code of a signed type (the range is symmetric),
  // also when that code is reached without overflow (docs/fixed-point.md).
  if (r >= min && r <= max) return t.o === 'AP_SAT_SYM' && t.signed && t.W > 1 && r === min ? min + 1n : r;
  switch (t.o) {
    case 'AP_SAT': return r > max ? max : min;
    case 'AP_SAT_ZERO': return 0n;
    case 'AP_SAT_SYM': return t.signed ? (r > max ? max : -max) : (r > max ? max : 0n);
    case 'AP_WRAP': {
      if (t.n !== 0) throw new Error('qRef: AP_WRAP with N > 0 not modelled in this reference');
      const m = 1n << W;
      let w = ((r % m) + m) % m;
      if (t.signed && w > max) w -= m;
      return w;
    }
    default: throw new Error(`qRef: overflow mode ${t.o} not modelled in this reference`);
  }
}

/** The exact rational value of a finite double: x = v·2^-F. */
export function exactOfDouble(x: number): { v: bigint; F: number } {
  if (x === 0) return { v: 0n, F: 0 };
  let F = 0;
  let y = x;
  while (!Number.isInteger(y)) {
    y *= 2;
    F++;
  }
  return { v: BigInt(y), F };
}

/** T(double) conversion through the reference. */
export function qDouble(x: number, t: FixedType): bigint {
  const { v, F } = exactOfDouble(x);
  return qRef(v, F, t);
}

export const align = (v: bigint, from: number, to: number): bigint => v << BigInt(to - from);
