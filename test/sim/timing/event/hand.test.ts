/**
 * Hand-worked cases of the event engine. Every expected value is derived in the comment above it
 * from the case's parameters (port bytes per cycle, latency, II, FIFO depth), not from a run.
 */
import { describe, expect, it } from 'vitest';
import { Fifo, memConfig, op, run } from './harness.js';

describe('memory system', () => {
  it('one stream alone moves a beat per port-beat time after the request latency', () => {
    // 256 beats of 16 B on a 8 B/cycle port: 2 cycles per beat; first beat at the latency (20),
    // so the last beat arrives at 20 + 255·2 = 530; a consumer at II 1, depth 1 ends at 531.
    const r = run([[op(256, { axiR: ['gmem_a'] })]], memConfig({ portBytes: 8, latency: 20 }));
    expect(r.end[0]).toBeCloseTo(531, 6);
  });

  it('two equal streams on one port each get half its bandwidth', () => {
    // Both streams on gmem_a (one port, 16 B/cycle): 8 B/cycle each, so 512 beats of 16 B take
    // 1024 cycles each, both finishing together (alone: 512). The second stream runs in another process.
    const alone = run([[op(512, { axiR: ['gmem_a'] })]]);
    const both = run([[op(512, { axiR: ['gmem_a'] })], [op(512, { axiR: ['gmem_a'] })]]);
    expect(alone.end[0]).toBeCloseTo(512 + 1, 6);
    expect(both.end[0]).toBeCloseTo(1024 + 1, 6);
    expect(both.end[1]).toBeCloseTo(1024 + 1, 6);
    expect(both.mem.ports[2]!.readBytes).toBe(2 * 512 * 16);
  });

  it('streams on different ports share the DRAM when its aggregate binds', () => {
    // Two ports of 16 B/cycle behind a 16 B/cycle DRAM: 8 B/cycle each again.
    const r = run([[op(512, { axiR: ['gmem_a'] })], [op(512, { axiR: ['gmem_b'] })]], memConfig({ aggregateBytes: 16 }));
    expect(r.end[0]).toBeCloseTo(1025, 6);
    expect(r.end[1]).toBeCloseTo(1025, 6);
  });

  it('a transfer longer than the outstanding limit pays the latency again', () => {
    // 128 beats = two 64-beat bursts, latency 100, one beat per cycle. One outstanding burst:
    // the second request leaves when the first burst's last beat arrives (100 + 63 = 163), its
    // first beat arrives at 263 and its last at 263 + 63 = 326; the loop (II 1, depth 1) ends at 327.
    // Two outstanding: both requests at 0, the second burst's beats follow the first's: 100 + 127 + 1.
    const one = run([[op(128, { axiR: ['gmem_a'] })]], memConfig({ latency: 100, readOutstanding: 1 }));
    const two = run([[op(128, { axiR: ['gmem_a'] })]], memConfig({ latency: 100, readOutstanding: 2 }));
    expect(one.end[0]).toBeCloseTo(327, 6);
    expect(two.end[0]).toBeCloseTo(228, 6);
  });

  it('a write loop ends when its last burst is acknowledged', () => {
    // 64 beats written at II 1 (depth 1): the last is in the adapter at cycle 64, the burst
    // crosses the port in 64 cycles (16 B/cycle), the response comes 30 cycles later: 158.
    const r = run([[op(64, { axiW: ['gmem_c'] })]], memConfig({ latency: 30 }));
    expect(r.end[0]).toBeCloseTo(64 + 64 + 30, 6);
  });
});

describe('FIFOs between dataflow processes', () => {
  it('a producer at II 1 feeding a consumer at II 2 through a depth-2 FIFO runs at the consumer\'s rate', () => {
    // The first word is visible at cycle 1 (producer depth 1); the consumer then takes one word
    // every 2 cycles: its last of N = 100 issues at 1 + 2·99 = 199 and ends at 200. The producer
    // may run ahead by the FIFO's 2 words plus the 1 iteration in its pipeline, no more: its
    // word j waits for the consumer's read of word j − 3 (at 1 + 2(j − 3)), so its last issue is
    // at 1 + 2·96 = 193 and it ends at 194, stalled ~96 cycles on the full FIFO.
    const f = new Fifo('s', 2, 100);
    const r = run([[op(100, { outs: [f] })], [op(100, { ii: 2, ins: [{ fifo: f, words: 100 }] })]]);
    expect(r.end[1]).toBeCloseTo(200, 6);
    expect(r.end[0]).toBeCloseTo(194, 6);
    expect(r.procs[0]!.totals.fifo).toBeCloseTo(194 - 100, 6);
  });

  it('a consumer faster than its producer waits for every word', () => {
    // Producer II 3, consumer II 1: word j visible at 3j + 1, consumer ends at 3·99 + 1 + 1.
    const f = new Fifo('s', 4, 100);
    const r = run([[op(100, { ii: 3, outs: [f] })], [op(100, { ins: [{ fifo: f, words: 100 }] })]]);
    expect(r.end[1]).toBeCloseTo(3 * 99 + 2, 6);
  });
});
