import { describe, expect, it } from 'vitest';
import { scheduleBlock, type ScheduleItem } from '../../../src/sim/timing/schedule.js';
import type { StageCost } from '../../../src/sim/timing/stages.js';

function stage(name: string, cycles: number, load?: number): StageCost {
  return {
    block: 0, stage: name, unit: load === undefined ? 'other' : 'linear', cycles, computeCycles: cycles, memoryCycles: 0,
    bytes: 0, macs: 0, multipliers: 1, ...(load === undefined ? {} : { weights: { cycles: load, bytes: 1000 } }),
  };
}
const item = (cost: StageCost, extra: Partial<ScheduleItem> = {}): ScheduleItem => ({ cost, report: cost.stage, ...extra });

describe('block schedule with weight buffers (hand-derived)', () => {
  // A: 100 cycles without weights; L1: load 50, compute 30; L2: load 80, compute 30.
  const items = [item(stage('A', 100)), item(stage('L1', 30, 50)), item(stage('L2', 30, 80))];

  it('ping-pong: both loads hide behind earlier work', () => {
    // L1 loads 0–50 (buffer 0), runs 100–130. L2 loads 50–130 (buffer 1, loader free at 50), runs 130–160.
    const s = scheduleBlock(items, true);
    expect(s.map((x) => x.cycles)).toEqual([100, 30, 30]);
    expect(s.reduce((a, x) => a + x.cycles, 0)).toBe(160);
    expect(s.map((x) => x.exposedLoad)).toEqual([0, 0, 0]);
  });

  it('single buffer: the next load waits for the previous linear layer', () => {
    // L1 loads 0–50, runs 100–130; L2's load can only start at 130 (buffer busy), ends 210, runs 210–240.
    const s = scheduleBlock(items, false);
    expect(s.reduce((a, x) => a + x.cycles, 0)).toBe(240);
    expect(s[2]!.exposedLoad).toBe(80);
    expect(s[2]!.cycles).toBe(110);
  });

  it('expert loads wait for the routing; consecutive expert items merge into one stage', () => {
    // gate (no weights) 40 cycles makes routing known at 40; E1 load 60 → 40–100, runs 100–120;
    // E2 load 60 on the other buffer: loader free at 100 → 100–160, runs 160–180.
    const s = scheduleBlock([
      item(stage('gate', 40), { routing: true }),
      { cost: stage('experts', 20, 60), report: 'experts', afterRouting: true },
      { cost: stage('experts', 20, 60), report: 'experts', afterRouting: true },
    ], true);
    expect(s.map((x) => x.report)).toEqual(['gate', 'experts']);
    expect(s[1]!.cycles).toBe(140);
    expect(s[1]!.exposedLoad).toBe(100);
    expect(s[1]!.memoryCycles).toBe(120);
    expect(s[1]!.computeCycles).toBe(40);
    expect(s[1]!.bytes).toBe(2000);
  });
});
