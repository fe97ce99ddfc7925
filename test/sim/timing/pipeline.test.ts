import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dataflow, pipelinedLoop, recurrenceII, transfer } from '../../../src/sim/timing/pipeline.js';

/**
 * Item-level event simulation of a chain of pipelined processes connected by FIFOs (the
 * independent reference for `dataflow`): process s may start item i once item i has left
 * process s−1 and II cycles after it started item i−1; an item leaves L cycles after it starts.
 */
function simulateChain(items: number, procs: readonly { ii: number; lat: number }[]): number {
  let avail = new Array<number>(items).fill(0);
  for (const p of procs) {
    const next = new Array<number>(items);
    let lastStart = -Infinity;
    for (let i = 0; i < items; i++) {
      const start = Math.max(avail[i]!, lastStart + p.ii);
      lastStart = start;
      next[i] = start + p.lat;
    }
    avail = next;
  }
  return avail[items - 1]!;
}

describe('pipelined loop', () => {
  it('takes depth cycles for the first iteration and II per further iteration', () => {
    // 100 iterations, II 1, depth 7: the last iteration starts at cycle 99 and ends at 106.
    expect(pipelinedLoop(100, 1, 7)).toBe(106);
    // II 3 (a loop-carried dependence): 10 iterations start at 0, 3, …, 27; depth 5 → 32.
    expect(pipelinedLoop(10, 3, 5)).toBe(32);
    expect(pipelinedLoop(1, 4, 9)).toBe(9);
    expect(pipelinedLoop(0, 1, 9)).toBe(0);
  });

  it('agrees with the event simulation of a single process', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 40 }), (n, ii, lat) =>
      pipelinedLoop(n, ii, lat) === simulateChain(n, [{ ii, lat }])), { seed: 42, numRuns: 200 });
  });

  it('recurrence II: accumulating into one BRAM word every iteration forces II = read + add latency', () => {
    expect(recurrenceII(3, 1)).toBe(3);
    expect(recurrenceII(3, 24)).toBe(1); // 24 different words between updates of the same word
    expect(recurrenceII(5, 4)).toBe(2);
    expect(recurrenceII(1, 1)).toBe(1);
  });
});

describe('dataflow region', () => {
  it('slow producer: the consumer waits for every item, so the producer sets the pace', () => {
    // Producer: 100 items at II 10, latency 10 → items leave at 10, 20, …, 1000.
    // Consumer: II 1, latency 5 → item 99 starts at 1000, leaves at 1005.
    const prod = { cycles: pipelinedLoop(100, 10, 10), fill: 10 };
    const cons = { cycles: pipelinedLoop(100, 1, 5), fill: 5 };
    expect(dataflow([prod, cons])).toBe(1005);
    expect(simulateChain(100, [{ ii: 10, lat: 10 }, { ii: 1, lat: 5 }])).toBe(1005);
  });

  it('slow consumer: throughput is the consumer\'s, plus the producer\'s fill', () => {
    // Producer II 1 latency 3; consumer II 4 latency 6, 50 items: starts at 3, last item
    // starts at 3 + 49·4 = 199, leaves at 205.
    expect(dataflow([{ cycles: pipelinedLoop(50, 1, 3), fill: 3 }, { cycles: pipelinedLoop(50, 4, 6), fill: 6 }])).toBe(205);
  });

  it('equals the item-level simulation for any chain of uniform processes', () => {
    const proc = fc.record({ ii: fc.integer({ min: 1, max: 8 }), lat: fc.integer({ min: 1, max: 30 }) });
    fc.assert(fc.property(fc.integer({ min: 1, max: 200 }), fc.array(proc, { minLength: 1, maxLength: 5 }), (n, procs) => {
      const closed = dataflow(procs.map((p) => ({ cycles: pipelinedLoop(n, p.ii, p.lat), fill: p.lat })));
      return closed === simulateChain(n, procs);
    }), { seed: 42, numRuns: 300 });
  });
});

describe('memory transfer', () => {
  it('memory-bound: latency plus bytes at the sustained rate, not at the port width', () => {
    // 3,200 bytes over a 32-byte port that the memory feeds at 4 bytes/cycle, 50-cycle latency.
    expect(transfer(3200, { portBytes: 32, bytesPerCycle: 4, latency: 50 })).toBe(850);
    // Port-bound: the memory keeps up, 100 beats of 32 bytes after the latency.
    expect(transfer(3200, { portBytes: 32, bytesPerCycle: 32, latency: 50 })).toBe(150);
    expect(transfer(0, { portBytes: 32, bytesPerCycle: 4, latency: 50 })).toBe(0);
  });

  it('more bandwidth never takes longer', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 0.5, max: 64, noNaN: true }), fc.double({ min: 1, max: 4, noNaN: true }), (bytes, rate, k) =>
      transfer(bytes, { portBytes: 64, bytesPerCycle: Math.min(64, rate * k), latency: 10 }) <= transfer(bytes, { portBytes: 64, bytesPerCycle: rate, latency: 10 })),
    { seed: 42, numRuns: 200 });
  });
});
