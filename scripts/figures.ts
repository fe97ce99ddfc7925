/**
 * Figures quoted in README.md and docs/*.md, each computed by the code it describes. In the
 * markdown a figure is marked `<!-- fig:NAME -->VALUE<!-- /fig -->`; `npm run docs:figures`
 * rewrites every VALUE from FIGURES, and test/docs/figures.test.ts recomputes them and fails on
 * any difference, so a quoted number cannot silently drift from the code.
 *
 * Machine-dependent timings are deliberately not figures: the docs point at `npm run bench`.
 * Figures of the timing and resource models (latency, power, DSP/BRAM totals) change whenever
 * those models do: regenerate with `npm run docs:figures` and review the diff.
 */
import { createHash } from 'node:crypto';
import { loadDesign } from '../src/design/load.js';
import { getPart } from '../src/parts/parts.js';
import { float64LeBytes } from '../src/kernels/trace-writer.js';
import { runReference } from '../src/kernels/reference-run.js';
import { mathUnitCost } from '../src/fixed/math/costs.js';
import { parseFixedType } from '../src/fixed/type.js';
import { join } from 'node:path';
import { m3vitDirs, projectRoot } from '../src/model/shared.js';
import { lowerModel, totalMacs } from '../src/model/ops.js';
import { presetModel } from '../src/model/presets.js';
import { evaluatePerformance, planOf } from '../src/sim/timing/index.js';
import { formatReport } from '../src/sim/timing/format.js';
import { simulateImage } from '../src/sim/timing/event/index.js';
import { compareEngines, formatComparison, formatEvent } from '../src/sim/timing/event/compare.js';
import { resolveInputs } from '../src/model/inputs.js';
import { forwardFixed, quantizeWeights } from '../src/sim/functional/index.js';

export interface Figure {
  /** The value as quoted, or undefined when its inputs are absent here (e.g. no real weights). */
  readonly compute: () => string | undefined;
  /** What it depends on, for the report of a mismatch. */
  readonly source: string;
}

const thousands = (v: number): string => Math.round(v).toLocaleString('en-US');
const pct1 = (v: number): string => `${(v * 100).toFixed(1)} %`;
const kilo = (v: number): string => `${(v / 1000).toFixed(1)} K`;

let perfCache: ReturnType<typeof evaluatePerformance> | undefined;
const edgeMoe = (): ReturnType<typeof evaluatePerformance> => (perfCache ??= evaluatePerformance(loadDesign()));
const unit = (name: string) => {
  const u = edgeMoe().resources.units.find((x) => x.unit === name);
  if (!u) throw new Error(`docs figures: the resource model has no unit '${name}'`);
  return u;
};

function realRunLines(): { output: string; sha: string } | undefined {
  const dirs = m3vitDirs();
  if (!dirs) return undefined;
  const r = runReference({ weights: dirs });
  let n = 0, sum = 0, sq = 0, min = Infinity, max = -Infinity;
  for (const v of r.output) { n++; sum += v; sq += v * v; min = Math.min(min, v); max = Math.max(max, v); }
  const mean = sum / n;
  const std = Math.sqrt(Math.max(0, sq / n - mean * mean));
  const g = (v: number): string => String(+v.toPrecision(6));
  return {
    output: `mean ${g(mean)} std ${g(std)} min ${g(min)} max ${g(max)} L2 ${g(Math.sqrt(sq))}`,
    sha: createHash('sha256').update(float64LeBytes(r.output)).digest('hex').slice(0, 16),
  };
}
let realCache: { v: ReturnType<typeof realRunLines> } | undefined;
const real = (): ReturnType<typeof realRunLines> => (realCache ??= { v: realRunLines() }).v;

/** `DSP | BRAM36 | LUT | FF | latency | II` of one math unit at the given types (docs/math.md). */
function mathRow(fn: 'exp' | 'recip' | 'rsqrt', inT: string, outT: string): string {
  const c = mathUnitCost(fn, parseFixedType(inT), parseFixedType(outT));
  return `${c.dsp} | ${c.bram36.toFixed(1)} | ${c.lut} | ${c.ff} | ${c.latency} | ${c.ii}`;
}

export const FIGURES: Readonly<Record<string, Figure>> = {
  'run-real-output': { source: 'float64 forward on ../shared/m3vit (+ stand-in experts)', compute: () => real()?.output },
  'run-real-sha256': { source: 'float64 forward on ../shared/m3vit (+ stand-in experts)', compute: () => real()?.sha },
  'math-exp-row': { source: 'src/fixed/math/costs.ts', compute: () => mathRow('exp', 'ap_fixed<33,11>', 'ap_fixed<32,10>') },
  'math-recip-row': { source: 'src/fixed/math/costs.ts', compute: () => mathRow('recip', 'ap_fixed<32,10>', 'ap_fixed<32,10>') },
  'math-rsqrt-row': { source: 'src/fixed/math/costs.ts', compute: () => mathRow('rsqrt', 'ap_fixed<48,24>', 'ap_fixed<48,24>') },
  'm3vit-macs': { source: 'src/model/ops.ts (m3vit-tiny)', compute: () => `${(totalMacs(lowerModel(presetModel('m3vit-tiny'))) / 1e6).toFixed(1)} M` },
  // Timing / resource / power model (regenerate after a model change).
  'edge-moe-latency-uniform-ms': { source: 'timing model, Edge-MoE point', compute: () => edgeMoe().latencyMs.toFixed(1) },
  'edge-moe-power-w': { source: 'power model, Edge-MoE point', compute: () => edgeMoe().power.totalW.toFixed(1) },
  'edge-moe-resources': {
    source: 'resource model, Edge-MoE point',
    compute: () => {
      const r = edgeMoe().resources;
      return `${thousands(r.dsp)} DSP (${pct1(r.util.dsp)}), ${thousands(r.bram36)} BRAM36 (${pct1(r.util.bram36)}), ` +
        `${kilo(r.lut)} LUT (${pct1(r.util.lut)}),\n${kilo(r.ff)} FF (${pct1(r.util.ff)})`;
    },
  },
  'edge-moe-linear-dsp': { source: 'resource model', compute: () => thousands(unit('linear').dsp) },
  'edge-moe-linear-bram36': { source: 'resource model', compute: () => thousands(unit('linear').bram36) },
  'edge-moe-attention-dsp': { source: 'resource model', compute: () => thousands(unit('attention').dsp) },
  'edge-moe-patch-dsp': { source: 'resource model', compute: () => thousands(unit('patch-embed').dsp) },
  'edge-moe-patch-bram36': { source: 'resource model', compute: () => thousands(unit('patch-embed').bram36) },
  'edge-moe-latency-error': { source: 'timing model vs 34.64 ms measured', compute: () => signedPct(edgeMoe().latencyMs / 34.64 - 1) },
  'edge-moe-cycles': { source: 'timing model, Edge-MoE point', compute: () => thousands(edgeMoe().cycles) },
  'edge-moe-attention-share': { source: 'timing model, Edge-MoE point', compute: () => pct1(shareOf((s) => s.unit === 'attention')) },
  'edge-moe-linear-share': { source: 'timing model, Edge-MoE point', compute: () => pct1(shareOf((s) => s.unit === 'linear' || s.unit === 'moe-router')) },
  'edge-moe-latency-sim-ms': { source: 'timing model with the functional simulator\'s routing of the real image', compute: () => simRouted()?.latencyMs.toFixed(1) },
  'edge-moe-latency-sim-error': { source: 'timing model with simulated routing vs 34.64 ms', compute: () => { const r = simRouted(); return r ? signedPct(r.latencyMs / 34.64 - 1) : undefined; } },
  'edge-moe-stage-table': { source: 'timing model, Edge-MoE point, stages summed over blocks', compute: () => stageTable() },
  'edge-moe-dsp': { source: 'resource model, Edge-MoE point', compute: () => thousands(edgeMoe().resources.dsp) },
  'dse-best-latency-ms': { source: 'sims/dse-best-zcu102-300.yaml', compute: () => dseBest().latencyMs.toFixed(2) },
  'dse-best-dsp': { source: 'sims/dse-best-zcu102-300.yaml', compute: () => thousands(dseBest().resources.dsp) },
  'dse-best-bram36': { source: 'sims/dse-best-zcu102-300.yaml', compute: () => thousands(dseBest().resources.bram36) },
  'dse-best-power-w': { source: 'sims/dse-best-zcu102-300.yaml', compute: () => dseBest().power.totalW.toFixed(1) },
  'dse-best-speedup': { source: 'timing model, Edge-MoE point vs sims/dse-best-zcu102-300.yaml', compute: () => `${(edgeMoe().latencyMs / dseBest().latencyMs).toFixed(2)}×` },
  'dse-best-tiles': { source: 'sims/dse-best-zcu102-300.yaml', compute: () => { const d = loadDesign(DSE_BEST); return `${d.linear.tileIn} × ${d.linear.tileOut}`; } },
  'dse-best-attention': { source: 'sims/dse-best-zcu102-300.yaml', compute: () => { const d = loadDesign(DSE_BEST); return `${d.attention.parallel} × ${d.attention.dotTile}`; } },
  'edge-moe-plan-loops-ratio': { source: 'the plan of the Edge-MoE point', compute: () => { const n = planOf(loadDesign()).loops.length; return `${n}/${n}`; } },
  'edge-moe-sim-cycles': { source: 'timing model with simulated routing of the real image', compute: () => { const r = simRouted(); return r ? thousands(r.cycles) : undefined; } },
  'cli-simulate-output': { source: 'vitforge simulate (Edge-MoE point, uniform routing): first lines', compute: () => `\n\`\`\`\n${formatReport(edgeMoe(), getPart('zcu102')).split('\n').slice(0, 11).join('\n')}\n\`\`\`\n` },
  'cli-event-output': {
    source: 'vitforge simulate --engine both (Edge-MoE point): event sections, first lines of the comparison',
    compute: () => {
      const d = loadDesign();
      const ev = simulateImage(d);
      const units = formatEvent(ev).split('\n').filter((l) => !/^per process/.test(l));
      const cmp = formatComparison(compareEngines(edgeMoe(), ev), d.clockMHz).split('\n').slice(0, 8);
      return `\n\`\`\`\n${[...units.slice(0, units.findIndex((l) => l.startsWith('per port')) + 9), '', ...cmp, '…'].join('\n')}\n\`\`\`\n`;
    },
  },
  'edge-moe-plan-loops': { source: 'the plan of the Edge-MoE point', compute: () => String(planOf(loadDesign()).loops.length) },
};

/** Markdown table of the stages summed over the blocks (what `vitforge simulate` prints). */
function stageTable(): string {
  const r = edgeMoe();
  const by = new Map<string, { cycles: number; memory: number; compute: number; unit: string }>();
  for (const s of r.stages) {
    const e = by.get(s.stage) ?? { cycles: 0, memory: 0, compute: 0, unit: s.unit };
    e.cycles += s.cycles;
    e.memory += s.memoryCycles;
    e.compute += s.computeCycles;
    by.set(s.stage, e);
  }
  const rows = [...by].map(([stage, e]) =>
    `| ${stage} | ${e.unit} | ${(e.cycles / (r.clockMHz * 1e3)).toFixed(2)} | ${pct1(e.cycles / r.cycles)} | ${e.memory > e.compute ? 'memory' : 'compute'} |`);
  return `\n${['| stage | unit | ms | share | bound |', '|---|---|---|---|---|', ...rows].join('\n')}\n`;
}

const DSE_BEST = join(projectRoot(), 'sims', 'dse-best-zcu102-300.yaml');
let dseCache: ReturnType<typeof evaluatePerformance> | undefined;
const dseBest = (): ReturnType<typeof evaluatePerformance> => (dseCache ??= evaluatePerformance(loadDesign(DSE_BEST)));

function signedPct(v: number): string {
  return `${v < 0 ? '−' : '+'}${Math.abs(v * 100).toFixed(1)} %`;
}

function shareOf(pred: (s: { unit: string }) => boolean): number {
  const r = edgeMoe();
  return r.stages.filter(pred).reduce((a, s) => a + s.cycles, 0) / r.cycles;
}

let simCache: { v: ReturnType<typeof evaluatePerformance> | undefined } | undefined;
/** The Edge-MoE point with the MoE routing the functional simulator computes on the real image. */
function simRouted(): ReturnType<typeof evaluatePerformance> | undefined {
  if (simCache) return simCache.v;
  const dirs = m3vitDirs();
  if (!dirs) return (simCache = { v: undefined }).v;
  const design = loadDesign();
  const inputs = resolveInputs(design.model, { weights: dirs });
  const { routing } = forwardFixed(design, quantizeWeights(design, inputs.weights), inputs.image);
  return (simCache = { v: evaluatePerformance(design, routing) }).v;
}

/** Touch `getPart` so a part rename fails here too (the resource figures are ZCU102 shares). */
void getPart('zcu102');

const MARK = /<!-- fig:([a-z0-9-]+) -->([\s\S]*?)<!-- \/fig -->/g;

export interface Mark { readonly name: string; readonly value: string }

/** Every marked figure of a markdown text, in order. */
export function marks(text: string): Mark[] {
  return [...text.matchAll(MARK)].map((m) => ({ name: m[1]!, value: m[2]! }));
}

/**
 * The text with each marked value replaced by `values[name]` (a name missing from `values` keeps
 * its value). An unknown figure name is an error: a typo must not become an unchecked number.
 */
export function rewrite(text: string, values: Readonly<Record<string, string | undefined>>, known: readonly string[] = Object.keys(FIGURES)): string {
  return text.replace(MARK, (all, name: string) => {
    if (!known.includes(name)) throw new Error(`unknown figure '${name}' (known: ${known.join(', ')})`);
    const v = values[name];
    return v === undefined ? all : `<!-- fig:${name} -->${v}<!-- /fig -->`;
  });
}
