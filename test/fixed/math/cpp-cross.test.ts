/**
 * Bit-equality of the TypeScript math units with templates/hls/include/vf_math.h: a g++-compiled
 * driver (cross_driver.cpp, vitforge's C-simulation headers) runs vf_exp / vf_recip / vf_rsqrt /
 * vf_gelu on ≥ 10,000 seeded inputs per function (including edge cases) in several type
 * combinations, and every output must equal the TypeScript result bit for bit.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFixedType, rawRange, type FixedType } from '../../../src/fixed/type.js';
import {
  buildGeluTable, expHw, geluHw, geluTableCpp, recipHw, rsqrtHw, type GeluTable,
} from '../../../src/fixed/math/index.js';
import { randInt, randLogInt, rng } from './rng.js';
import { requireTool } from '../../helpers/tools.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const hasGpp = requireTool('g++');

interface UnaryCase { id: number; fn: 'exp' | 'recip' | 'rsqrt'; inT: FixedType; outT: FixedType }
interface GeluCase { id: number; fn: 'gelu'; fm: FixedType; table: GeluTable; k: number }
type Case = UnaryCase | GeluCase;

const P = parseFixedType;
const gelu = (id: number, fm: string, tableT: string, k: number, range: number): GeluCase =>
  ({ id, fn: 'gelu', fm: P(fm), table: buildGeluTable(2 ** -k, range, P(tableT)), k });

// Mirrors run() in cross_driver.cpp.
const CASES: Case[] = [
  { id: 0, fn: 'exp', inT: P('ap_fixed<33,11>'), outT: P('ap_fixed<32,10>') },
  { id: 1, fn: 'exp', inT: P('ap_fixed<52,12>'), outT: P('ap_fixed<40,4,AP_RND,AP_SAT>') },
  { id: 2, fn: 'exp', inT: P('ap_fixed<20,8>'), outT: P('ap_ufixed<16,1,AP_RND_CONV>') },
  { id: 3, fn: 'recip', inT: P('ap_fixed<32,10>'), outT: P('ap_fixed<32,10>') },
  { id: 4, fn: 'recip', inT: P('ap_ufixed<48,30>'), outT: P('ap_fixed<24,4,AP_RND,AP_SAT>') },
  { id: 5, fn: 'recip', inT: P('ap_fixed<53,20>'), outT: P('ap_fixed<48,30,AP_RND_ZERO>') },
  { id: 6, fn: 'rsqrt', inT: P('ap_fixed<48,24>'), outT: P('ap_fixed<48,24>') },
  { id: 7, fn: 'rsqrt', inT: P('ap_ufixed<30,-3>'), outT: P('ap_fixed<32,16,AP_RND,AP_SAT>') },
  { id: 8, fn: 'rsqrt', inT: P('ap_fixed<53,40>'), outT: P('ap_ufixed<40,8,AP_RND_INF>') },
  gelu(9, 'ap_fixed<32,10>', 'ap_ufixed<16,-2>', 5, 4),
  gelu(10, 'ap_fixed<16,6,AP_RND,AP_SAT>', 'ap_ufixed<20,-1>', 6, 8),
  gelu(11, 'ap_fixed<12,8>', 'ap_ufixed<16,-2>', 5, 4),
];

/** Seeded inputs (raws of the case's input type), edge cases first. */
function inputs(c: Case, count: number): number[] {
  const r = rng(1000 + c.id);
  const t = c.fn === 'gelu' ? c.fm : c.inT;
  const { min, max } = rawRange(t);
  const one = 2 ** t.F;
  const clamp = (v: number): number => Math.min(max, Math.max(min, Math.round(v)));
  const xs: number[] = [0, 1, -1, min, max, min + 1, max - 1].map(clamp);
  if (c.fn === 'exp') {
    for (const d of [-22, -21.99, -22.01, -1, -0.5, -Math.LN2, -2 * Math.LN2, -1e-9]) {
      for (const e of [-1, 0, 1]) xs.push(clamp(d * one + e));
    }
    while (xs.length < count * 0.5) xs.push(clamp(-r() * 24 * one)); // the live range
    while (xs.length < count * 0.8) xs.push(clamp(-(2 ** (-r() * 30)) * one)); // near 0
    while (xs.length < count) xs.push(randInt(r, min, max));
  } else if (c.fn === 'gelu') {
    const step = c.table.step;
    const range = c.table.range;
    for (let a = 0; a <= range + step; a += step) {
      for (const e of [-1, 0, 1]) { xs.push(clamp(a * one + e)); xs.push(clamp(-a * one + e)); }
    }
    while (xs.length < count * 0.8) xs.push(clamp((2 * r() - 1) * (range + 1) * one));
    while (xs.length < count) xs.push(randInt(r, min, max));
  } else {
    const bits = Math.log2(max + 1);
    for (let b = 0; b < bits; b++) for (const e of [-1, 0, 1]) xs.push(clamp(2 ** b + e));
    while (xs.length < count * 0.9) xs.push(clamp(randLogInt(r, bits)));
    while (xs.length < count) xs.push(randInt(r, min, max));
  }
  return xs.slice(0, count);
}

function expected(c: Case, raw: number): number {
  switch (c.fn) {
    case 'exp': return expHw(raw, c.inT.F, c.outT);
    case 'recip': return recipHw(raw, c.inT, c.outT);
    case 'rsqrt': return rsqrtHw(raw, c.inT, c.outT);
    case 'gelu': return geluHw(raw, c.fm, c.table);
  }
}

const outType = (c: Case): FixedType => (c.fn === 'gelu' ? c.fm : c.outT);
/** Raw → its W-bit pattern as the driver prints it. */
const bits = (raw: number, t: FixedType): bigint => {
  const b = BigInt(raw);
  return b < 0n ? b + (1n << BigInt(t.W)) : b;
};

const PER_CASE = 4000; // 3 cases per function: 12,000 inputs per function

describe.skipIf(!hasGpp)('vf_math.h computes the same bits as src/fixed/math (g++ C-simulation)', () => {
  let dir = '';
  let exe = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vf-math-cross-'));
    const tables = CASES.filter((c): c is GeluCase => c.fn === 'gelu').map((c) =>
      `${geluTableCpp(c.table, `GELU_T${c.id}`)}const int GELU_N${c.id} = ${c.table.entries.length};\n`
      + `const int GELU_K${c.id} = ${c.k};\n`).join('\n');
    writeFileSync(join(dir, 'cross_tables.h'), `#pragma once\n#include <ap_fixed.h>\n${tables}`);
    exe = join(dir, 'driver');
    execFileSync('g++', [
      '-std=c++17', '-O2', '-Wall', '-Wextra', '-Werror', '-Wno-unknown-pragmas',
      '-I', join(root, 'templates/hls/csim/include'), '-I', join(root, 'templates/hls/include'), '-I', dir,
      join(here, 'cross_driver.cpp'), '-o', exe,
    ], { stdio: 'pipe' });
  }, 120_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('every case, every input: bit-equal', () => {
    const lines: string[] = [];
    const want: { c: Case; raw: number; exp: bigint }[] = [];
    for (const c of CASES) {
      for (const raw of inputs(c, PER_CASE)) {
        lines.push(`${c.id} ${raw}`);
        want.push({ c, raw, exp: bits(expected(c, raw), outType(c)) });
      }
    }
    const out = execFileSync(exe, { input: lines.join('\n') + '\n', maxBuffer: 64 << 20 }).toString().trim().split('\n');
    expect(out.length).toBe(want.length);
    const mismatches: string[] = [];
    for (let i = 0; i < want.length; i++) {
      const got = BigInt(out[i]!);
      if (got !== want[i]!.exp) {
        const w = want[i]!;
        mismatches.push(`case ${w.c.id} (${w.c.fn}) raw ${w.raw}: C++ ${got}, TS ${w.exp}`);
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    // Coverage: each function really saw ≥ 10,000 inputs.
    for (const fn of ['exp', 'recip', 'rsqrt', 'gelu']) {
      expect(want.filter((w) => w.c.fn === fn).length).toBeGreaterThanOrEqual(10_000);
    }
  });
});
