/**
 * The constant tables of the exp / recip / rsqrt units against exact BigInt evaluations (not the
 * double arithmetic that builds them), and the generated block of vf_math_tables.h against
 * mathTablesCpp(). Set VF_UPDATE_MATH_H=1 to rewrite that block after changing types.ts/tables.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mathTables, mathTablesCpp } from '../../../src/fixed/math/index.js';
import * as T from '../../../src/fixed/math/types.js';

const PREC = 160n; // fixed-point precision of the reference, bits
const ONE = 1n << PREC;

/** ln 2 = Σ_{k≥1} 1/(k·2^k), each term truncated: total error < 200 units of 2^-160. */
function ln2Big(): bigint {
  let s = 0n;
  for (let k = 1n; k < 200n; k++) s += ONE / (k << k);
  return s;
}
/** e^y for 0 ≤ y < 1 (y in units of 2^-PREC) by its Taylor series. */
function expBig(y: bigint): bigint {
  let term = ONE;
  let s = ONE;
  for (let k = 1n; k < 80n; k++) {
    term = (term * y) / ONE / k;
    s += term;
  }
  return s;
}
/** Round a reference value (units of 2^-PREC, error ≪ 2^-120) to F fraction bits; reject near-ties. */
function roundRef(v: bigint, F: number): number {
  const sh = PREC - BigInt(F);
  const half = 1n << (sh - 1n);
  const rem = v & ((1n << sh) - 1n);
  const dist = rem > half ? rem - half : half - rem;
  expect(dist > 1n << 40n).toBe(true); // the value is far from a rounding midpoint
  return Number((v + half) >> sh);
}
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

const tb = mathTables();

describe('math tables equal exact evaluations', () => {
  const ln2 = ln2Big();

  it('log2(e) and ln(2) are rounded to nearest', () => {
    expect(tb.ln2).toBe(roundRef(ln2, T.EXP_LN2_T.F));
    expect(tb.log2e).toBe(roundRef((ONE * ONE) / ln2, T.EXP_LOG2E_T.F));
  });

  it('TA[a] = 2^(a/256) and TB[b] = 2^(b/65536) − 1, rounded to nearest', () => {
    expect(tb.expA.length).toBe(256);
    expect(tb.expB.length).toBe(256);
    for (let a = 0; a < 256; a++) expect(tb.expA[a]).toBe(roundRef(expBig((ln2 * BigInt(a)) / 256n), T.EXP_TA_T.F));
    for (let b = 0; b < 256; b++) {
      expect(tb.expB[b]).toBe(b === 0 ? 0 : roundRef(expBig((ln2 * BigInt(b)) / 65536n) - ONE, T.EXP_TB_T.F));
    }
  });

  it('recip table: 1/(1 + j/256) rounded to nearest (exact rational rounding)', () => {
    const F = BigInt(T.RECIP_TABLE_T.F);
    expect(tb.recip.length).toBe(257);
    for (let j = 0; j <= 256; j++) {
      const d = 256n + BigInt(j);
      expect(tb.recip[j]).toBe(Number(((256n << (F + 1n)) + d) / (2n * d)));
    }
  });

  it('rsqrt table: 1/√(1 + j/128) rounded to nearest (integer square root)', () => {
    const F = BigInt(T.RSQRT_TABLE_T.F);
    expect(tb.rsqrt.length).toBe(385);
    for (let j = 0; j <= 384; j++) {
      // 2v = √(2^(2F+2)·128/(128+j)); round(v) = floor((floor(2v) + 1)/2).
      const twoV = isqrt((128n << (2n * F + 2n)) / (128n + BigInt(j)));
      expect(tb.rsqrt[j]).toBe(Number((twoV + 1n) >> 1n));
    }
  });
});

describe('vf_math_tables.h carries the TypeScript types and tables', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const path = resolve(here, '../../../templates/hls/include/vf_math_tables.h');
  const BEGIN = '// ---- BEGIN GENERATED (mathTablesCpp) ----\n';
  const END = '// ---- END GENERATED ----\n';

  it('the generated block equals mathTablesCpp()', () => {
    let text = readFileSync(path, 'utf8');
    const i = text.indexOf(BEGIN);
    const j = text.indexOf(END);
    expect(i).toBeGreaterThan(0);
    expect(j).toBeGreaterThan(i);
    const want = mathTablesCpp();
    if (process.env.VF_UPDATE_MATH_H === '1') {
      text = text.slice(0, i + BEGIN.length) + want + text.slice(j);
      writeFileSync(path, text);
    }
    expect(text.slice(i + BEGIN.length, text.indexOf(END))).toBe(want);
  });

  it('every table value in the block parses back to the exact raw', () => {
    const block = mathTablesCpp();
    const arrays = [...block.matchAll(/static const (\w+) (\w+)\[(\d+)\] = \{([^}]*)\};/g)];
    expect(arrays.map((m) => m[2])).toEqual(['VF_EXP_TA', 'VF_EXP_TB', 'VF_RECIP_TABLE', 'VF_RSQRT_TABLE']);
    const src = { VF_EXP_TA: [tb.expA, T.EXP_TA_T.F], VF_EXP_TB: [tb.expB, T.EXP_TB_T.F],
      VF_RECIP_TABLE: [tb.recip, T.RECIP_TABLE_T.F], VF_RSQRT_TABLE: [tb.rsqrt, T.RSQRT_TABLE_T.F] } as const;
    for (const m of arrays) {
      const [raws, F] = src[m[2] as keyof typeof src];
      const vals = m[4]!.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
      expect(vals.length).toBe(Number(m[3]));
      expect(vals.map((v) => v * 2 ** F)).toEqual([...raws]);
    }
  });
});

describe('table steps fit the named difference types', () => {
  it('T[j] − T[j+1] ∈ [0, 2^-8) for the recip and rsqrt tables (so RECIP_D_T / RSQRT_D_T hold it exactly)', () => {
    for (const [t, dT] of [[tb.recip, T.RECIP_D_T], [tb.rsqrt, T.RSQRT_D_T]] as const) {
      for (let j = 0; j + 1 < t.length; j++) {
        const d = t[j]! - t[j + 1]!;
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(2 ** dT.W);
      }
    }
  });
});
