/** Report of one design point: headline figures, the five design charts and their tables. */
import { designToObject } from '../design/load.js';
import type { DesignPoint } from '../design/types.js';
import type { Part } from '../parts/parts.js';
import type { PerformanceReport } from '../sim/timing/report.js';
import type { EventReport } from '../sim/timing/event/index.js';
import type { Block } from './document.js';
import { energyBreakdown, energyChart, powerSummary } from './charts/energy.js';
import { fmt } from './charts/frame.js';
import { defaultTimelineBlock, ganttChart } from './charts/gantt.js';
import { latencyChart, layerName, stageOrder } from './charts/latency.js';
import { anchorsFor } from './references.js';
import { resourceChart } from './charts/resources.js';
import { rooflineChart } from './charts/roofline.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function flatParams(o: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(o).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? flatParams(v as Record<string, unknown>, `${prefix}${k}.`)
      : [[`${prefix}${k}`, Array.isArray(v) ? `[${v.join(', ')}]` : String(v)] as [string, string]]);
}

/** Blocks describing one design (used on its own and inside the DSE report). */
/** `ev`: the event engine's run of the same design; when given, the timeline chart is drawn from it. */
export function designBlocks(design: DesignPoint, perf: PerformanceReport, part: Part, level: 2 | 3 = 2, ev?: EventReport): Block[] {
  const sub = 3 as const;
  const r = perf.resources;
  const blocks: Block[] = [];
  blocks.push({ kind: 'heading', text: `Design ${design.name}`, level });
  blocks.push({
    kind: 'text',
    text: `Model \`${design.modelRef}\` on ${part.board} (\`${part.device}\`) at ${design.clockMHz} MHz. ` +
      `MoE routing assumed by the timing model: ${perf.routingSource}. All figures are predictions of the ` +
      'vitforge performance model (docs/performance-model.md), not measurements.',
  });
  blocks.push({
    kind: 'table', table: {
      head: ['quantity', 'value', 'unit'], numeric: [false, true, false],
      rows: [
        ['latency per image', fmt(perf.latencyMs), 'ms'],
        ['cycles per image', fmt(perf.cycles), 'cycles'],
        ['throughput', fmt(perf.gops), 'GOP/s (2 per MAC + element-wise ops)'],
        ['power', fmt(perf.power.totalW), `W (${powerSummary(perf)})`],
        ['energy per image', fmt(perf.energyMJ), 'mJ'],
        ['efficiency', fmt(perf.gopsPerW), 'GOP/s/W'],
        ['memory-bound share of cycles', pct(perf.memoryBoundFraction), ''],
        ['fits the part', r.fits ? 'yes' : `no: ${r.violations.join('; ')}`, ''],
        // Published figures only for the network and board they were measured on.
        ...anchorsFor(design.model, design.part).map((a) => [`vs ${a.label} (published ${a.latencyMs} ms)`, `${fmt(perf.latencyMs / a.latencyMs)}×`, 'latency ratio'] as const),
      ],
    },
  });
  blocks.push({ kind: 'heading', text: 'Parameters', level: sub });
  blocks.push({ kind: 'table', table: { head: ['parameter', 'value'], rows: flatParams(designToObject(design)) } });

  blocks.push({ kind: 'heading', text: 'Latency', level: sub });
  blocks.push({ kind: 'chart', chart: {
    id: 'latency', title: 'Latency per layer by stage', svg: latencyChart(perf),
    caption: 'Each bar is one layer (patch embedding, then each transformer block); segments are the stages of the layer, in ms at the design clock.',
  } });
  const tl = defaultTimelineBlock(perf);
  blocks.push({ kind: 'chart', chart: {
    id: 'timeline', title: `Timeline of block ${tl}`, svg: ganttChart(perf, tl, ev),
    caption: ev
      ? `Block ${tl} as the event engine ran it (docs/performance-model.md, "Two engines"): one row per process of each unit, in µs from the start of the block; within a linear-unit call the reader, compute, writer and weight loader overlap. Dashed outline = the process spent most of the bar stalled on memory. Event engine ${fmt(ev.latencyMs)} ms per image vs analytic ${fmt(perf.latencyMs)} ms.`
      : `Stages of block ${tl} on the hardware units that run them, in µs from the start of the block. Stages run one after another; dashed outline = memory-bound.`,
  } });
  blocks.push({ kind: 'table', table: {
    head: ['layer', 'cycles', 'ms', 'share'], numeric: [false, true, true, true],
    rows: perf.layers.map((l) => [layerName(l.block), fmt(l.cycles), fmt(l.ms), pct(perf.cycles ? l.cycles / perf.cycles : 0)]),
  } });
  blocks.push({ kind: 'heading', text: 'Stages (summed over blocks)', level: sub });
  blocks.push({ kind: 'table', table: stageTable(perf) });

  blocks.push({ kind: 'heading', text: 'Compute vs memory', level: sub });
  blocks.push({ kind: 'chart', chart: {
    id: 'roofline', title: 'Roofline', svg: rooflineChart(perf, design, part),
    caption: 'Operational intensity = 2·MACs / off-chip bytes. Ceilings: every DSP of the part doing one MAC per cycle at the design clock with the part\'s peak DRAM bandwidth (black); the bandwidth that binds (red, dashed): one m_axi port (the narrower of the kernel\'s axiBits bus and the part\'s port) or the practical DRAM bandwidth, whichever is lower; and the design\'s linear unit (tileIn × tileOut MACs per cycle).',
  } });

  blocks.push({ kind: 'heading', text: 'Resources', level: sub });
  blocks.push({ kind: 'chart', chart: {
    id: 'resources', title: 'Resource utilisation', svg: resourceChart(r, part, design.name),
    caption: `Estimated resources as a share of ${part.board}; the dashed line is the part's capacity (docs/performance-model.md states each estimate's expected error).`,
  } });
  if (r.units.length > 0) {
    blocks.push({ kind: 'table', table: {
      head: ['unit', 'DSP', 'BRAM36', 'URAM', 'LUT', 'FF'], numeric: [false, true, true, true, true, true],
      rows: r.units.map((u) => [u.unit, fmt(u.dsp), fmt(u.bram36), fmt(u.uram), fmt(u.lut), fmt(u.ff)]),
    } });
  }

  blocks.push({ kind: 'heading', text: 'Energy', level: sub });
  blocks.push({ kind: 'chart', chart: {
    id: 'energy', title: 'Energy per image by source', svg: energyChart(perf),
    caption: 'Power of each source multiplied by the latency: mJ per image. Colour = kind: device static, PL dynamic (scales with the design\'s resources and activity), DRAM, and the fixed loads (host CPU, board peripherals) and regulator loss that any design on this board pays.',
  } });
  blocks.push({ kind: 'table', table: {
    head: ['source', 'kind', 'mJ per image'], numeric: [false, false, true],
    rows: energyBreakdown(perf).map((e) => [e.source, e.kind, fmt(e.mJ)]),
  } });
  return blocks;
}

function stageTable(perf: PerformanceReport): { head: string[]; rows: (string | number)[][]; numeric: boolean[] } {
  const rows: (string | number)[][] = [];
  for (const st of stageOrder(perf)) {
    const ss = perf.stages.filter((s) => s.stage === st);
    const cycles = ss.reduce((a, s) => a + s.cycles, 0);
    const mem = ss.filter((s) => s.bound === 'memory').reduce((a, s) => a + s.cycles, 0);
    const bytes = ss.reduce((a, s) => a + s.bytes, 0);
    const macs = ss.reduce((a, s) => a + s.macs, 0);
    const secs = cycles / (perf.clockMHz * 1e6);
    rows.push([st, ss[0]!.unit, fmt(cycles), fmt(cycles / (perf.clockMHz * 1e3)), pct(perf.cycles ? cycles / perf.cycles : 0),
      pct(cycles ? mem / cycles : 0), fmt(bytes / 1e6), fmt(secs > 0 ? bytes / secs / 1e9 : 0), fmt(macs / 1e6)]);
  }
  return {
    head: ['stage', 'unit', 'cycles', 'ms', 'share', 'memory-bound', 'MB moved', 'GB/s', 'MMAC'],
    numeric: [false, false, true, true, true, true, true, true, true],
    rows,
  };
}
