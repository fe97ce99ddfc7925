/**
 * The event engine's view of the kernel must be the kernel's: FIFO depths, burst length and the
 * order of the reader's loops are compared with the generated C++ / the templates, and a
 * deadlock the declared depths cause is reported instead of hanging.
 */
import { lowerPlan } from '../../../../src/plan/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../../../src/design/load.js';
import { buildHlsContext } from '../../../../src/hls/context.js';
import { AXI, PROCESS_ORDER, rowStreamDepth } from '../../../../src/plan/streams.js';
import { planOf } from '../../../../src/sim/timing/index.js';
import { simulateImage } from '../../../../src/sim/timing/event/index.js';
import { randomDesign, randomPointArb, tempDir } from '../../../hls/helpers.js';
import { Fifo, op, run } from './harness.js';

const TEMPLATES = join(import.meta.dirname, '../../../../templates/hls/partials');

describe('plan streams vs the templates', () => {
  it('row FIFO depth equals the generated streamDepth on the shipped design and random points', () => {
    const dir = tempDir('event-streams');
    const designs = [loadDesign(), ...fc.sample(randomPointArb, { numRuns: 8, seed: 5 }).map((p) => randomDesign(p, dir))];
    for (const d of designs) {
      const { context } = buildHlsContext(d, { csimInclude: '', csimHeaders: false, weightsNote: '', version: '' });
      expect(rowStreamDepth(planOf(d).geometry), d.name).toBe((context as unknown as { streamDepth: number }).streamDepth);
    }
  });

  it('burst length is the m_axi max_read/write_burst_length of top.hbs', () => {
    const top = readFileSync(join(TEMPLATES, 'top.hbs'), 'utf8');
    expect(Number(/max_read_burst_length=(\d+)/.exec(top)![1])).toBe(AXI.maxBurstBeats);
    expect(Number(/max_write_burst_length=(\d+)/.exec(top)![1])).toBe(AXI.maxBurstBeats);
    // Outstanding limits are Vitis' defaults: the templates must not set them.
    expect(top).not.toMatch(/num_(read|write)_outstanding/);
  });

  it('the reader\'s loop order is linear.hbs\'s', () => {
    const src = readFileSync(join(TEMPLATES, 'linear.hbs'), 'utf8');
    const read = src.slice(src.indexOf('static void linear_read'), src.indexOf('static void linear_compute'));
    const at = (id: string): number => read.indexOf(`{{{loop "${id}"`);
    const order = PROCESS_ORDER['linear.read']!;
    for (const id of order) expect(at(id), id).toBeGreaterThan(0);
    for (let i = 1; i < order.length; i++) expect(at(order[i - 1]!)).toBeLessThan(at(order[i]!));
  });
});

describe('deadlock', () => {
  it('a producer that fills one stream before the other its consumer alternates on is reported, and finishes as if deep enough', () => {
    // Producer: 10 words into A (depth 2), then 10 into B; consumer reads A, B, A, B, ...
    // After 3 words of A (2 + 1 in flight) the producer blocks; the consumer waits on B: deadlock.
    const a = new Fifo('A', 2, 10);
    const b = new Fifo('B', 2, 10);
    const cons = Array.from({ length: 10 }, () => [op(1, { ins: [{ fifo: a, words: 1 }] }), op(1, { ins: [{ fifo: b, words: 1 }] })]).flat();
    const r = run([[op(10, { outs: [a] }), op(10, { outs: [b] })], cons]);
    // run() stops when no event is left: the consumer never finished.
    expect(Number.isNaN(r.end[1])).toBe(true);
    expect(r.procs[0]!.waitingOn).toMatchObject({ kind: 'full' });
    expect(r.procs[1]!.waitingOn).toMatchObject({ kind: 'empty' });
  });

  it('the patch embedding no longer deadlocks at the declared depths (this engine found it)', () => {
    // embed_read used to write all 196 patches (24 words each) to embed_x before any positional
    // row while embed_compute needs a positional row to finish patch 0 (4704 words > depth 96);
    // the positional rows now come from a process of their own (embed_read_pos).
    const e = simulateImage(loadDesign());
    expect(e.warnings.filter((w) => /deadlock|blocks writing/.test(w))).toEqual([]);
    const plan = lowerPlan(loadDesign(), { uram: false });
    expect(plan.units.find((u) => u.id === 'patch-embed')!.dataflow!.independent).toEqual(['read_pos']);
  });
});
