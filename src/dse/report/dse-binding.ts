/**
 * "Which constraint binds" section of the DSE report: rejections per resource limit and the
 * attainable clock, and for each best design the limit it is closest to, with the clock's band.
 */
import { LIMITS, headroom } from '../binding.js';
import { pointObject } from '../space.js';
import { attainableClock, CLOCK_UNCERTAINTY, formatClock } from '../../hw/clock.js';
import type { Part } from '../../parts/parts.js';
import type { Block } from '../../report/document.js';
import type { DseRun } from './dse-report.js';

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : '—');

export function bindingBlocks(run: DseRun, part: Part): Block[] {
  const { cfg, summary, points } = run;
  const blocks: Block[] = [{ kind: 'heading', text: 'Binding constraints', level: 3 }];
  const clockRule = cfg.eval.optimisticClock
    ? 'The clock was not checked (`--optimistic-clock`): designs may ask for more than the part is likely to close.'
    : `A design is infeasible when its clock is above the attainable-clock model for its utilisation (src/hw/clock.ts; ` +
      `uncertainty ±${Math.round(CLOCK_UNCERTAINTY * 100)} %, docs/clock.md); \`--optimistic-clock\` turns the check off.`;
  blocks.push({ kind: 'text', text: clockRule });
  if (summary.byLimit) {
    blocks.push({ kind: 'table', table: {
      head: ['limit', 'points rejected'], numeric: [false, true],
      rows: LIMITS.map((l) => [l, summary.byLimit![l]]),
    } });
  }
  const rows: (string | number)[][] = [];
  for (const [label, b] of Object.entries(summary.best)) {
    const p = points.find((q) => q.id === b.id);
    if (!p?.metrics) continue;
    const util = {
      dsp: p.metrics.util_dsp ?? NaN, bram36: p.metrics.util_bram36 ?? NaN, uram: p.metrics.util_uram ?? NaN,
      lut: p.metrics.util_lut ?? NaN, ff: p.metrics.util_ff ?? NaN,
    };
    const clockMHz = Number(pointObject(cfg.eval.space, p.idx).clockMHz);
    const [first] = headroom(part, clockMHz, util);
    rows.push([label, p.id, clockMHz, formatClock(attainableClock(part, util)), `${first!.limit} (${pct(first!.used)})`]);
  }
  if (rows.length > 0) {
    blocks.push({ kind: 'text', text: 'Best design per objective: the limit it is closest to (utilisation, or requested clock over the attainable estimate).' });
    blocks.push({ kind: 'table', table: {
      head: ['objective', 'point', 'clock MHz', 'attainable clock', 'binding limit'], numeric: [false, true, true, false, false], rows,
    } });
  }
  return blocks;
}
