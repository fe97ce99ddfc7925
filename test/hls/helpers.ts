/**
 * Shared fixtures of the HLS tests: the reduced Edge-MoE model, random tiny design points, and a
 * check for the C++ toolchain (the C-simulation tests skip with a message when g++/make are absent,
 * and fail under CI).
 */
import { expect } from 'vitest';
import type { StructureResult } from '../../src/hls/structure.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { designFromObject } from '../../src/design/load.js';
import type { DesignPoint } from '../../src/design/types.js';
import { requireTool } from '../helpers/tools.js';

/** g++ and make present (under CI their absence fails the run: test/helpers/tools.ts). */
export function haveToolchain(): boolean {
  return requireTool('g++', 'make');
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `vitforge-${prefix}-`));
}

/**
 * The Edge-MoE model reduced for CI: M3ViT-tiny's widths (D = 192, 3 heads, 16 experts of 384,
 * top-2, MLP 768) with 2 blocks (one dense, one MoE) and a 32×64 image → 8 patches + class token.
 */
export const REDUCED_MODEL = `name: m3vit-reduced
image: { height: 32, width: 64, channels: 3 }
patchSize: 16
classToken: pos-embed
dim: 192
depth: 2
heads: 3
mlpHidden: 768
lnEps: 1.0e-6
moe: { experts: 16, topK: 2, hidden: 384, tasks: 2, layers: odd }
`;

/** The Edge-MoE design point (all defaults) on the reduced model, written into `dir`. */
export function reducedEdgeMoeDesign(dir: string, overrides: Record<string, unknown> = {}): DesignPoint {
  writeFileSync(join(dir, 'm3vit-reduced.yaml'), REDUCED_MODEL);
  return designFromObject({ name: 'edge-moe-reduced', model: 'm3vit-reduced.yaml', ...overrides }, dir);
}

/** A small fixed model (D = 32, 2 heads, one dense and one MoE block of 4 experts) for fast tests. */
export const TINY_MODEL = `name: tiny-fixed
image: { height: 16, width: 32, channels: 3 }
patchSize: 8
classToken: parameter
dim: 32
depth: 2
heads: 2
mlpHidden: 64
moe: { experts: 4, topK: 2, hidden: 32, tasks: 2, layers: odd }
`;

export function tinyDesign(dir: string, overrides: Record<string, unknown> = {}): DesignPoint {
  writeFileSync(join(dir, 'tiny-fixed.yaml'), TINY_MODEL);
  return designFromObject({ name: 'tiny-point', model: 'tiny-fixed.yaml', linear: { tileIn: 8, tileOut: 8 }, ...overrides }, dir);
}

const divisorsOf = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
const common = (ns: number[]): number[] => divisorsOf(Math.min(...ns)).filter((d) => ns.every((n) => n % d === 0));

const QUANT = ['AP_TRN', 'AP_TRN_ZERO', 'AP_RND', 'AP_RND_ZERO', 'AP_RND_MIN_INF', 'AP_RND_INF', 'AP_RND_CONV'] as const;
const OVER = ['AP_WRAP', 'AP_SAT', 'AP_SAT_ZERO', 'AP_SAT_SYM'] as const;

/**
 * `ap_fixed<W,I[,Q,O[,N]]>` with W in [w0, w1], I in [i0, i1] and random modes (the defaults half
 * the time); AP_WRAP may carry N saturation bits, AP_WRAP_SM only on signed types.
 */
function typeArb(kind: 'ap_fixed' | 'ap_ufixed', w: [number, number], i: [number, number]): fc.Arbitrary<string> {
  const over = kind === 'ap_fixed' ? [...OVER, 'AP_WRAP_SM' as const] : OVER;
  return fc.record({
    W: fc.integer({ min: w[0], max: w[1] }), I: fc.integer({ min: i[0], max: i[1] }),
    modes: fc.option(fc.tuple(fc.constantFrom(...QUANT), fc.constantFrom(...over), fc.integer({ min: 0, max: 3 })), { freq: 2 }),
  }).map(({ W, I, modes }) => {
    if (!modes) return `${kind}<${W},${I}>`;
    const [q, o, n] = modes;
    return `${kind}<${W},${I},${q},${o}${o.startsWith('AP_WRAP') && n > 0 ? `,${n}` : ''}>`;
  });
}

export interface RandomPoint {
  readonly model: Record<string, unknown>;
  readonly design: Record<string, unknown>;
  /** Tile/parallelism choices as fractions of the valid lists (resolved against the model). */
  readonly picks: readonly number[];
}

/**
 * Random valid tiny design points: D ∈ {16, 32}, 1–2 heads, dense and/or MoE blocks (2–4 experts),
 * any class-token kind, every tensor class with random widths and rounding/overflow modes (kept
 * within the simulator's 53-bit and the C++ 128-bit intermediate limits), random tiles, attention
 * parallelism, dotTile, GELU table, buffering, AXI width and clock.
 */
export const randomPointArb: fc.Arbitrary<RandomPoint> = fc.record({
  dim: fc.constantFrom(16, 32),
  heads: fc.constantFrom(1, 2),
  channels: fc.constantFrom(1, 3),
  patch: fc.constantFrom(4, 8),
  grid: fc.constantFrom([1, 2], [2, 2], [2, 3]),
  classToken: fc.constantFrom('pos-embed', 'parameter', 'none'),
  moeLayers: fc.constantFrom('none', 'odd', 'even', 'all'),
  experts: fc.integer({ min: 2, max: 4 }),
  topK: fc.integer({ min: 1, max: 2 }),
  tasks: fc.integer({ min: 1, max: 2 }),
  mlpHidden: fc.constantFrom(32, 64),
  expertHidden: fc.constantFrom(16, 32, 64),
  types: fc.record({
    fm: typeArb('ap_fixed', [18, 34], [7, 14]),
    linearWeight: typeArb('ap_fixed', [8, 18], [1, 3]),
    attnBias: typeArb('ap_fixed', [8, 16], [3, 8]),
    bias: typeArb('ap_fixed', [8, 16], [3, 7]),
    norm: typeArb('ap_fixed', [8, 16], [3, 6]),
    patchWeight: typeArb('ap_fixed', [8, 16], [-1, 1]),
    pixel: typeArb('ap_ufixed', [8, 12], [0, 1]),
    accum: typeArb('ap_fixed', [20, 44], [8, 16]),
    softmax: typeArb('ap_fixed', [24, 40], [6, 12]),
    lnStat: typeArb('ap_fixed', [36, 52], [16, 26]),
    geluTable: typeArb('ap_ufixed', [10, 16], [-2, 0]),
  }),
  geluStep: fc.constantFrom(1 / 8, 1 / 16, 1 / 32, 1 / 64),
  geluRange: fc.constantFrom(2, 4, 8),
  pingpong: fc.boolean(),
  axiBits: fc.constantFrom(64, 128, 256, 512),
  clockMHz: fc.integer({ min: 100, max: 400 }),
  picks: fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 4, maxLength: 4 }),
}).map((r) => {
  const moe = r.moeLayers === 'none' ? undefined
    : { experts: r.experts, topK: Math.min(r.topK, r.experts), hidden: r.expertHidden, tasks: r.tasks, layers: r.moeLayers };
  const model: Record<string, unknown> = {
    name: 'tiny',
    image: { height: r.grid[0]! * r.patch, width: r.grid[1]! * r.patch, channels: r.channels },
    patchSize: r.patch, classToken: r.classToken, dim: r.dim, depth: 2, heads: r.heads, lnEps: 1e-5,
    ...(r.moeLayers === 'all' ? {} : { mlpHidden: r.mlpHidden }),
    ...(moe ? { moe } : {}),
  };
  // Head slices start on AXI words: narrow the bus until a head is a whole number of words.
  const fmContainer = Number(/<(\d+),/.exec(r.types.fm)![1]) <= 32 ? 32 : 64;
  let axiBits = r.axiBits;
  while (axiBits > fmContainer && (r.dim / r.heads) % (axiBits / fmContainer) !== 0) axiBits /= 2;
  const design: Record<string, unknown> = {
    name: 'random-point', types: r.types, gelu: { step: r.geluStep, range: r.geluRange },
    buffers: { weights: r.pingpong ? 'pingpong' : 'single' }, axiBits, clockMHz: r.clockMHz,
    moe: { task: moe ? r.tasks - 1 : 0 },
  };
  return { model, design, picks: r.picks };
});

/** Resolve a random point into a validated design (model file written into `dir`). */
export function randomDesign(p: RandomPoint, dir: string): DesignPoint {
  writeFileSync(join(dir, 'tiny.json'), JSON.stringify(p.model));
  const m = p.model as { dim: number; heads: number; patchSize: number; image: { channels: number; height: number; width: number }; classToken: string; mlpHidden?: number; moe?: { hidden: number } };
  const hiddens = [m.mlpHidden, m.moe?.hidden].filter((h): h is number => h !== undefined);
  const patchK = m.image.channels * m.patchSize * m.patchSize;
  const tokens = (m.image.height / m.patchSize) * (m.image.width / m.patchSize) + (m.classToken === 'none' ? 0 : 1);
  const pick = <T>(xs: T[], f: number): T => xs[Math.floor(f * xs.length)]!;
  const tileIn = pick(common([patchK, m.dim, ...hiddens]), p.picks[0]!);
  const tileOut = pick(common([m.dim, 3 * m.dim, ...hiddens]), p.picks[1]!);
  const parallel = 1 + Math.floor(p.picks[2]! * tokens);
  const dotTile = pick(divisorsOf(m.dim / m.heads), p.picks[3]!);
  return designFromObject({
    ...p.design, model: 'tiny.json', linear: { tileIn, tileOut }, attention: { parallel, dotTile },
  }, dir);
}

/** Bits, unit symbols, loop counts, multipliers and counted latency of one project. */
export function expectStructure(s: StructureResult, label: string): void {
  expect(s.problems, label).toEqual([]);
  for (const [fn, n] of Object.entries(s.functions)) expect(n, `${label}: ${fn}`).toBe(1);
  expect(s.functions.linear_unit, label).toBe(1);
  expect(s.functions.attention_unit, label).toBe(1);
  expect(s.loops.mismatches, label).toEqual([]);
  expect(s.loops.countedDsp, label).toBe(s.loops.planDsp);
  expect(Math.abs(s.loops.countedCycles - s.loops.predictedCycles) / s.loops.predictedCycles, label).toBeLessThan(0.01);
  expect(s.passed, label).toBe(true);
}

