/**
 * `vitforge plan` output: the plan as plain text (units, their loops and buffers, the bundles, the
 * schedule of one image summarised per stage) and as JSON (the plan object itself, with the
 * schedule's per-loop totals). Pure: the caller prints.
 */
import type { LoweredPlan, UnitCall } from './index.js';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ').trimEnd();
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...cells.slice(1).map(line)].join('\n');
}

/** Per loop: iterations and entries over the calls of one image. */
export function loopTotals(plan: LoweredPlan, calls: readonly UnitCall[]): { iterations: number; entries: number }[] {
  const t = plan.loops.map(() => ({ iterations: 0, entries: 0 }));
  for (const c of calls) for (const x of c.trips) {
    t[x.loop]!.iterations += x.iterations;
    t[x.loop]!.entries += x.entries;
  }
  return t;
}

export function formatPlan(plan: LoweredPlan, calls: readonly UnitCall[], routingSource: string): string {
  const totals = loopTotals(plan, calls);
  const out: string[] = [`plan of ${plan.design} (${plan.axiBits}-bit AXI words, ${plan.clockMHz} MHz); schedule with routing: ${routingSource}`, ''];
  for (const u of plan.units) {
    out.push(`unit ${u.id}: ${u.function}() — ${u.doc}${u.dataflow ? ` [DATAFLOW: ${u.dataflow.chain.join(' → ')}${u.dataflow.independent.length ? `, independent ${u.dataflow.independent.join(', ')}` : ''}]` : ''}`);
    const depthOf = (id: string | undefined): number => (id ? 1 + depthOf(plan.byId.get(id)?.parent) : 0);
    out.push(table(['loop', 'bound', 'trip min..max', 'II', 'depth', 'per iteration', 'iterations/image', 'entries'],
      u.loops.map((l) => [
        `${'  '.repeat(depthOf(l.parent))}${l.label}${l.process ? ` (${l.process})` : ''}`, l.bound, `${l.tripMin}..${l.tripMax}`,
        l.ii === null ? '-' : l.ii, l.depth,
        [...l.muls.map((m) => `${m.count}× ${m.wa}×${m.wb}b mul`), ...l.math.map((m) => `${m.count}× ${m.fn}`), ...l.axi.map((a) => `${a.dir} ${a.bundle}`)].join(', ') || '-',
        fmt(totals[l.index]!.iterations), fmt(totals[l.index]!.entries),
      ])));
    if (u.buffers.length) {
      out.push(table(['buffer', 'element bits', 'shape', 'banks', 'storage', 'copies', 'what'],
        u.buffers.map((b) => [b.name, b.elemBits, b.shape.join('×'), b.banks, b.storage, b.copies, b.doc])));
    }
    out.push('');
  }
  out.push(table(['bundle', 'direction', 'holds'], plan.bundles.map((b) => [b.id, b.direction, b.holds])));
  out.push('', 'schedule of one image (calls per block and stage):');
  const stages: { key: string; n: number; unit: string }[] = [];
  for (const c of calls) {
    const key = `${c.block < 0 ? 'embed' : `block ${c.block}`} ${c.stage}`;
    const last = stages[stages.length - 1];
    if (last && last.key === key) last.n++;
    else stages.push({ key, n: 1, unit: c.unit });
  }
  out.push(table(['block / stage', 'unit', 'calls'], stages.map((s) => [s.key, s.unit, s.n])));
  return `${out.join('\n')}\n`;
}

export function planJson(plan: LoweredPlan, calls: readonly UnitCall[], routingSource: string): string {
  const totals = loopTotals(plan, calls);
  return `${JSON.stringify({
    format: 'vitforge-plan/1', design: plan.design, clockMHz: plan.clockMHz, axiBits: plan.axiBits, routing: routingSource,
    geometry: { ...plan.geometry, rowWords: undefined }, regions: plan.regions, bundles: plan.bundles,
    units: plan.units.map((u) => ({ ...u, loops: u.loops.map((l) => ({ ...l, perImage: totals[l.index] })) })),
    schedule: calls.map((c) => ({ unit: c.unit, block: c.block, stage: c.stage, macs: c.macs, trips: c.trips })),
  }, null, 2)}\n`;
}
