import { describe, expect, it } from 'vitest';
import { getPart } from '../../../src/hw/parts.js';
import { modelDims } from '../../../src/model/ir.js';
import { memoryModel } from '../../../src/sim/timing/memory.js';
import { avStage, linearStage, mathLatency, qkStage, stageContext, type StageContext } from '../../../src/sim/timing/stages.js';
import { design, partFile, tinyModelFile } from './fixtures.js';

function ctx(partPath: string): StageContext {
  const d = design({ model: tinyModelFile(), part: partPath, linear: { tileIn: 8, tileOut: 8 }, attention: { parallel: 4, dotTile: 8 } });
  const c = stageContext(d, getPart(d.part));
  expect(c.mem).toEqual(memoryModel(d, getPart(d.part)));
  expect(c.dims.tokens).toBe(modelDims(d.model).tokens);
  return c;
}

// Tiny model: 9 tokens × 32 features (fm 32-bit → a row is 128 B = 4 beats of 256 bit).
describe('linear stage, hand-derived', () => {
  it('compute-bound when memory is fast: the compute loop plus reader/writer fill', () => {
    const c = ctx(partFile('fast'));
    const s = linearStage(c, 0, 'qkv', 'linear', 9, 32, 96, { biasBits: 16 });
    // Compute: 9 rows × (32/8 input tiles) × (96/8 output tiles) = 432 iterations, II 1,
    // depth = multiply 3 + adder tree log2(8) = 3 + accumulate 1 + output 1 = 8 → 431 + 8 = 439.
    expect(s.computeCycles).toBe(439);
    // Reader: 9 × 128 B at 32 B/cycle = 36 cycles (no latency). Compute starts after 1 cycle,
    // ends at max(1 + 439, 36 + 4 + 8) = 440; writer (108 cycles) starts at 13, ends at 440.
    expect(s.cycles).toBe(440);
    expect(s.memoryCycles).toBe(108);
    // Weights: 96 × 32 × 16 bit = 6,144 B = 192 beats; bias 96 × 16 bit = 192 B = 6 beats.
    expect(s.weights).toEqual({ cycles: 198, bytes: 6336 });
    expect(s.macs).toBe(9 * 32 * 96);
  });

  it('memory-bound when the port is narrow and slow to answer', () => {
    // 32-bit port at the kernel clock: 4 B/cycle; 100 ns latency at 300 MHz = 30 cycles.
    const c = ctx(partFile('narrow', { portBits: 32, latencyNs: 100 }));
    const s = linearStage(c, 0, 'qkv', 'linear', 9, 32, 96, { biasBits: 16 });
    // Reader 30 + 1,152/4 = 318; writer 3,456/4 + 30 = 894; compute 439.
    // Compute: starts at 31, ends max(31 + 439, 318 + 12) = 470; writer starts 43, ends max(43 + 894, 470 + 30) = 937.
    expect(s.memoryCycles).toBe(894);
    expect(s.cycles).toBe(937);
    expect(s.memoryCycles).toBeGreaterThan(s.computeCycles);
  });
});

describe('attention stages, hand-derived', () => {
  it('Q·Kᵀ streams every K row once per block of P query rows', () => {
    const c = ctx(partFile('fast'));
    const s = qkStage(c, 0);
    // Matmul: ceil(9 / 4) = 3 query blocks × 9 keys × (32 / 8) feature blocks = 108 iterations,
    // depth 2 multiplies (3 each) + log2(8) + add + 1 = 11 → 118 cycles. Finaliser: the same 108
    // (query, key) pairs one per cycle (recurrence distance 4 ≥ 3), depth EXP + RECIP latency
    // (the math units' pipeline depths, src/fixed/math/costs.ts) + multiply 3 + 2: the slower
    // compute process.
    const lat = mathLatency(c.d);
    expect(s.computeCycles).toBe(107 + lat.exp + lat.recip + 3 + 2);
    // K traffic: 3 × 9 rows × 128 B; Q once: 9 × 128 B. Scores: 3 × 9 × 4 entries × 2 heads × 4 B
    // = 864 B (27 beats); statistics 9 rows × 4 values × 4 B → 9 beats (288 B).
    expect(s.bytes).toBe(4 * 9 * 128 + 864 + 288);
    expect(s.macs).toBe(2 * 9 * 9 * 16);
  });

  it('·V costs the same matmul iterations as Q·Kᵀ (II 1 with ≥ 3 accumulator words per row)', () => {
    const c = ctx(partFile('fast'));
    expect(avStage(c, 0).macs).toBe(qkStage(c, 0).macs);
    // 108 iterations, depth EXP 19 + 2 multiplies + BRAM read 2 + add 1 + 1 = 29 → 136.
    expect(avStage(c, 0).computeCycles).toBe(107 + mathLatency(c.d).exp + 6 + 2 + 1 + 1);
  });
});
