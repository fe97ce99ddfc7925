/**
 * vitforge's C-simulation headers (templates/hls/csim/include) against the TypeScript engine:
 * a g++-compiled driver (test/hls/cpp/csim_headers_driver.cpp) evaluates seeded cases and every
 * printed raw value, result type and flag must equal the reference (csim-headers-ref.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  add, addAssign, bigFixed, fromDoubleBig, mul, mulAssign, neg, quantizeBig, sub, subAssign, toDoubleBig,
  type BigFixed,
} from '../../src/fixed/bigfixed.js';
import { fromDouble, quantize } from '../../src/fixed/quantize.js';
import { OVERFLOW_MODES, QUANT_MODES, type FixedType } from '../../src/fixed/type.js';
import { requireTool } from '../helpers/tools.js';
import {
  clampRaw, cmpFlags, doubleHex, INT32, intFromDouble, intPart, maxOf, minOf, randomDouble, randomRaw, rawTowards, Rng,
  TypeTable, typedStr, type CType,
} from './csim-headers-ref.js';

const INCLUDE = fileURLToPath(new URL('../../templates/hls/csim/include', import.meta.url));
const DRIVER = fileURLToPath(new URL('./cpp/csim_headers_driver.cpp', import.meta.url));
const HAS_GXX = requireTool('g++');
const CXXFLAGS = ['-std=c++17', '-Wall', '-Wextra', '-Werror', '-Wno-unknown-pragmas'];

// ---- the types under test -------------------------------------------------------------------
const rng = new Rng(42);
const T = new TypeTable();
// Edge-MoE datapath types and edge shapes: W = 1, W = 64, negative I, I > W, unsigned, integers.
const special: CType[] = [
  T.fixed(32, 10), T.fixed(16, 2), T.fixed(16, 7), T.fixed(16, 5), T.fixed(16, 0), T.fixed(8, 0, false),
  T.fixed(48, 24), T.fixed(16, -2, false), T.fixed(32, 0, false, 'AP_RND'), T.fixed(48, 12),
  T.fixed(1, 1), T.fixed(1, 0, false), T.fixed(1, 1, true, 'AP_RND', 'AP_SAT_SYM'), T.fixed(1, -3, true, 'AP_RND_CONV', 'AP_SAT'),
  T.fixed(64, 32), T.fixed(64, 0, true, 'AP_RND_CONV', 'AP_SAT'), T.fixed(63, 70, false, 'AP_RND', 'AP_SAT'),
  T.fixed(10, -6, true, 'AP_RND_INF', 'AP_SAT_SYM'), T.fixed(8, 12, true, 'AP_RND_ZERO', 'AP_WRAP_SM'),
  T.fixed(40, 20, false), T.fixed(33, 33, true, 'AP_TRN', 'AP_SAT'),
  T.int(1, true), T.int(1, false), T.int(8, true), T.int(8, false), T.int(32, true), T.int(32, false),
  T.int(33, false), T.int(64, true), T.int(64, false),
];
// Two random types for every quantisation × overflow mode pair (AP_WRAP_SM is signed only).
const random: CType[] = [];
for (const q of QUANT_MODES) {
  for (const o of OVERFLOW_MODES) {
    for (let i = 0; i < 2; i++) {
      const W = rng.chance(0.15) ? rng.pick([1, 2, 63, 64]) : rng.int(1, 64);
      const signed = o === 'AP_WRAP_SM' ? true : rng.chance(0.6);
      const I = rng.int(-8, W + 8);
      const n = (o === 'AP_WRAP' || o === 'AP_WRAP_SM') && rng.chance(0.5) ? rng.int(1, Math.min(W, 5)) : 0;
      random.push(T.fixed(W, I, signed, q, o, n));
    }
  }
}
// Conversion sources: wide, full-precision-product-like and integer types.
const sources: CType[] = [
  T.fixed(64, 20), T.fixed(64, -10), T.fixed(63, 40, false), T.fixed(128, 50), T.fixed(96, 30),
  T.fixed(12, 3), T.fixed(30, 60), T.int(64, true), T.int(40, false),
];
const declared = [...special, ...random];
const infoTypes = [...special, ...random.filter((_, i) => i % 2 === 0)];
const intTypes = declared.filter((t) => t.kind === 'int');

const convPairs: [CType, CType][] = [];
for (const dst of declared) {
  const picked = new Set<CType>();
  while (picked.size < 2) picked.add(rng.pick(sources));
  for (const src of picked) convPairs.push([src, dst]);
}
const fitsResult = (a: CType, b: CType): boolean =>
  a.W + b.W + (a.signed || b.signed ? 0 : 1) <= 128 && Math.max(a.W, b.W) + 2 <= 127;
const binPairs: [CType, CType][] = [
  [special[0]!, special[1]!], [special[0]!, special[9]!], [special[6]!, special[0]!], [special[5]!, special[4]!],
  [special[24]!, special[25]!], [special[26]!, special[25]!], [special[27]!, special[28]!], [special[19]!, special[0]!],
  [special[0]!, special[19]!], [special[26]!, special[29]!],
];
while (binPairs.length < 90) {
  const a = rng.pick(declared);
  const b = a.kind === 'int' ? rng.pick(intTypes) : rng.pick(declared);
  if (fitsResult(a, b)) binPairs.push([a, b]);
}

// ---- cases and expected lines ---------------------------------------------------------------
const lines: string[] = [];
const expected: string[] = [];
const perQ = new Map<string, number>();
const perO = new Map<string, number>();
const count = (t: FixedType): void => {
  perQ.set(t.q, (perQ.get(t.q) ?? 0) + 1);
  perO.set(t.o, (perO.get(t.o) ?? 0) + 1);
};
const fastPathMismatches: string[] = [];
const push = (line: string, exp: string): void => {
  lines.push(line);
  expected.push(exp);
};
const val = (raw: bigint, t: FixedType): BigFixed => bigFixed(raw, t);
// The engine's double fast path is cross-checked for W <= 52: at W = 53 (unsigned, negative
// inputs, AP_WRAP with N > 0) it loses the last bit near 2^53 (reported to the engine's owner).
const FAST_W = 52;

for (const [src, dst] of convPairs) {
  for (let i = 0; i < 420; i++) {
    const raw = rawTowards(rng, src, dst);
    let e: bigint;
    if (dst.kind === 'int') {
      e = clampRaw(src.kind === 'int' ? raw : intPart(raw, src), dst);
    } else {
      e = quantizeBig(raw, src.F, dst);
      count(dst);
      if (dst.W <= FAST_W && raw <= 2n ** 53n && raw >= -(2n ** 53n)) {
        const f = quantize(Number(raw), src.F, dst);
        if (BigInt(f) !== e) fastPathMismatches.push(`quantize(${raw}, ${src.F}, ${dst.cpp}) = ${f}, BigInt path ${e}`);
      }
    }
    push(`C ${src.id} ${dst.id} ${raw}`, `${e} ${e}`);
  }
}
for (const t of declared) {
  for (let i = 0; i < 400; i++) {
    const d = randomDouble(rng, t);
    let e: bigint;
    if (t.kind === 'int') {
      e = intFromDouble(d, t);
    } else {
      e = fromDoubleBig(d, t);
      count(t);
      if (t.W <= FAST_W) {
        const f = fromDouble(d, t);
        if (BigInt(f) !== e) fastPathMismatches.push(`fromDouble(${d}, ${t.cpp}) = ${f}, BigInt path ${e}`);
      }
    }
    push(`D ${t.id} ${doubleHex(d)}`, `${e}`);
  }
  for (let i = 0; i < 20; i++) {
    const n = rng.pick([0, 1, -1, 2147483647, -2147483648, rng.int(-1000, 1000), (rng.u32() | 0)]);
    const e = t.kind === 'int' ? clampRaw(BigInt(n), t) : quantizeBig(BigInt(n), 0, t);
    push(`A ${t.id} ${n}`, `${e} ${e}`);
  }
}
for (const t of infoTypes) {
  for (let i = 0; i < 150; i++) {
    const raw = randomRaw(rng, t);
    const ip = t.kind === 'int' ? raw : intPart(raw, t);
    const dbl = doubleHex(toDoubleBig(raw, t));
    push(`I ${t.id} ${raw}`,
      `${BigInt.asIntN(32, ip)} ${BigInt.asUintN(32, ip)} ${BigInt.asIntN(64, ip)} ${BigInt.asUintN(64, ip)} ${dbl}`);

    const lo = rng.int(0, t.W - 1);
    const hi = rng.int(lo, Math.min(t.W - 1, lo + 63));
    const width = BigInt(hi - lo + 1);
    const v = rng.bits(Math.min(64, hi - lo + 1 + rng.int(0, 3)));
    const pattern = BigInt.asUintN(t.W, raw);
    const mask = (1n << width) - 1n;
    const read = (pattern >> BigInt(lo)) & mask;
    const written = clampRaw((pattern & ~(mask << BigInt(lo))) | ((v & mask) << BigInt(lo)), t);
    push(`R ${t.id} ${raw} ${hi} ${lo} ${v}`, `${read} ${written} ${(pattern >> BigInt(lo)) & 1n} ${raw}`);

    const x = val(raw, t);
    if (t.kind === 'int') {
      const Wn = Math.max(1 + (t.signed ? 1 : 0), t.W) + 1;
      push(`N ${t.id} ${raw}`, `${-raw} ${Wn} ${Wn} 1`);
    } else {
      push(`N ${t.id} ${raw}`, typedStr(neg(x)));
    }
    const n = rng.pick([0, 1, -1, 3, -7, 2147483647, -2147483648, rng.int(-100000, 100000)]);
    const ni = val(BigInt(n), INT32);
    push(`L ${t.id} ${raw} ${n}`,
      `${cmpFlags(x, ni)} ${cmpFlags(ni, x)} ${typedStr(add(x, ni))} ${typedStr(mul(x, ni))}`);
  }
}
for (const t of intTypes) {
  for (let i = 0; i < 200; i++) {
    const raw = randomRaw(rng, t);
    const sh = rng.int(-(t.W - 1), t.W - 1);
    const left = (r: bigint, s: number): bigint => clampRaw(r << BigInt(s), t);
    const shl = sh >= 0 ? left(raw, sh) : raw >> BigInt(-sh);
    const shr = sh >= 0 ? raw >> BigInt(sh) : left(raw, -sh);
    push(`S ${t.id} ${raw} ${sh}`, `${shl} ${shr} ${shl}`);
  }
}
for (const [ta, tb] of binPairs) {
  for (let i = 0; i < 300; i++) {
    const a = val(randomRaw(rng, ta), ta);
    const b = val(i % 4 === 0 ? rawTowards(rng, tb, ta) : randomRaw(rng, tb), tb);
    push(`B ${ta.id} ${tb.id} ${a.raw} ${b.raw}`, [
      typedStr(add(a, b)), typedStr(sub(a, b)), typedStr(mul(a, b)), cmpFlags(a, b),
      addAssign(a, b).raw, subAssign(a, b).raw, mulAssign(a, b).raw,
    ].join(' '));
  }
}
// Mixed signedness at equal compared widths (the vendor's same-width == is exact below 64 bits,
// modular at 64), on the range ends and -1 / all-ones patterns where the rules differ.
const fx40s = T.fixed(40, 20, true);
const sameWidthPairs: [CType, CType][] = [
  [T.int(48, false), T.int(48, true)], [special[25]!, special[26]!], [special[28]!, special[29]!],
  [special[19]!, fx40s], [fx40s, special[19]!], [special[19]!, T.fixed(38, 20, true)],
  [T.fixed(64, 32, false), special[14]!],
];
for (const [ta, tb] of sameWidthPairs) {
  binPairs.push([ta, tb]);
  const edges = (t: CType): bigint[] => [0n, 1n, -1n, minOf(t), maxOf(t), maxOf(t) - 1n].map((r) => clampRaw(r, t));
  for (const ra of edges(ta)) {
    for (const rb of edges(tb)) {
      const a = val(ra, ta);
      const b = val(rb, tb);
      push(`B ${ta.id} ${tb.id} ${a.raw} ${b.raw}`, [
        typedStr(add(a, b)), typedStr(sub(a, b)), typedStr(mul(a, b)), cmpFlags(a, b),
        addAssign(a, b).raw, subAssign(a, b).raw, mulAssign(a, b).raw,
      ].join(' '));
    }
  }
}

function typesInclude(): string {
  const ids = (ts: CType[]): string => ts.map((t) => `X(${t.id})`).join(' ');
  const pairs = (ps: [CType, CType][]): string => ps.map(([a, b]) => `X(${a.id}, ${b.id})`).join(' ');
  const uniq = <P>(ps: P[], k: (p: P) => string): P[] => [...new Map(ps.map((p) => [k(p), p])).values()];
  return [
    '// Generated by test/hls/csim-headers.test.ts: the types and operations under test.',
    ...T.all.map((t) => `typedef ${t.cpp} T${t.id};`),
    `#define VF_DOUBLE_TYPES(X) ${ids(declared)}`,
    `#define VF_INFO_TYPES(X) ${ids(infoTypes)}`,
    `#define VF_SHIFT_TYPES(X) ${ids(intTypes)}`,
    `#define VF_CONV_PAIRS(X) ${pairs(uniq(convPairs, ([a, b]) => `${a.id},${b.id}`))}`,
    `#define VF_BIN_PAIRS(X) ${pairs(uniq(binPairs, ([a, b]) => `${a.id},${b.id}`))}`,
    '',
  ].join('\n');
}

// ---- compile once, run once -------------------------------------------------------------------
let dir = '';
let output: string[] = [];
let compileMs = 0;
let runMs = 0;

describe.skipIf(!HAS_GXX)('C-simulation headers vs the TypeScript engine', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vf-csim-headers-'));
    writeFileSync(join(dir, 'vf_driver_types.inc'), typesInclude());
    writeFileSync(join(dir, 'cases.txt'), lines.join('\n') + '\n');
    writeFileSync(join(dir, 'expected.txt'), expected.join('\n') + '\n');
    let t0 = Date.now();
    const cc = spawnSync('g++', [...CXXFLAGS, '-O0', '-I', INCLUDE, '-I', dir, DRIVER, '-o', join(dir, 'driver')],
      { encoding: 'utf8' });
    compileMs = Date.now() - t0;
    if (cc.status !== 0) throw new Error(`driver does not compile:\n${cc.stderr.slice(0, 4000)}`);
    t0 = Date.now();
    const run = spawnSync(join(dir, 'driver'), [], {
      input: lines.join('\n') + '\n', encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
    });
    runMs = Date.now() - t0;
    if (run.status !== 0) throw new Error(`driver failed (${run.status}): ${run.stderr.slice(0, 2000)}`);
    output = run.stdout.split('\n');
  });
  afterAll(() => {
    if (dir && !process.env.VF_KEEP_CSIM_DIR) rmSync(dir, { recursive: true, force: true });
  });

  it('covers at least 10,000 conversion cases per quantisation and per overflow mode', () => {
    for (const q of QUANT_MODES) expect(perQ.get(q) ?? 0, q).toBeGreaterThanOrEqual(10_000);
    for (const o of OVERFLOW_MODES) expect(perO.get(o) ?? 0, o).toBeGreaterThanOrEqual(10_000);
  });

  it('the engine fast path agrees with its BigInt path on the same cases', () => {
    expect(fastPathMismatches.slice(0, 10)).toEqual([]);
  });

  for (const [op, what] of [
    ['C', 'conversions between types (assignment and construction)'],
    ['D', 'conversions from double (ap_fixed: Q_T; ap_int: vendor truncation)'],
    ['A', 'construction from C integers'],
    ['I', 'to_int / to_uint / to_int64 / to_uint64 / to_double'],
    ['R', 'range() read and write, bit read, raw round trip'],
    ['N', 'unary minus: value and result type'],
    ['L', 'comparisons, + and * with integer literals'],
    ['S', 'shifts of ap_int / ap_uint'],
    ['B', '+ - * values and result types, comparisons, += -= *='],
  ] as const) {
    it(`bit-exact: ${what}`, () => {
      const bad: string[] = [];
      let n = 0;
      for (let i = 0; i < lines.length; i++) {
        if (!lines[i]!.startsWith(`${op} `)) continue;
        n++;
        if (output[i] !== expected[i]) bad.push(`${lines[i]} -> got '${output[i]}', expected '${expected[i]}'`);
      }
      expect(n).toBeGreaterThan(0);
      expect(bad.length, bad.slice(0, 8).join('\n')).toBe(0);
    });
  }

  it('reports its timings', () => {
    console.log(`csim-headers: ${lines.length} cases, compile ${compileMs} ms, run ${runMs} ms`);
    expect(output.length).toBe(lines.length + 1);
  });
});
