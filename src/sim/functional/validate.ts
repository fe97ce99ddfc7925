/**
 * Accuracy validation: run the float64 reference and the fixed-point datapath on the same weights
 * and image, and measure the difference at every traced stage (docs/accuracy.md explains each
 * number). Each run feeds its own intermediates forward, so a stage's metric is the error
 * ACCUMULATED up to that stage, as the hardware would see it.
 */
import type { DesignPoint } from '../../design/types.js';
import { classify, forwardReference, type TraceSink } from '../../kernels/forward.js';
import type { WeightSet } from '../../model/weights.js';
import { forwardFixed } from './forward.js';
import { errorMetrics, routingAgreement, routingMatches, type ErrorMetrics } from './metrics.js';
import { quantizeWeights } from './weights.js';

export type { ErrorMetrics } from './metrics.js';

/** Collects a forward pass's trace in memory. */
export class MemoryTrace implements TraceSink {
  readonly names: string[] = [];
  readonly tensors = new Map<string, { data: Float64Array; rows: number; cols: number }>();
  readonly routes = new Map<number, { top: Int32Array; weights: Float64Array; k: number }>();
  constructor(private readonly keepTensors = true, private readonly next?: TraceSink) {}

  tensor(name: string, data: Float64Array, rows: number, cols: number): void {
    if (this.keepTensors) {
      this.names.push(name);
      this.tensors.set(name, { data, rows, cols });
    }
    this.next?.tensor(name, data, rows, cols);
  }

  routing(block: number, top: Int32Array, weights: Float64Array, k: number): void {
    this.routes.set(block, { top, weights, k });
    this.next?.routing(block, top, weights, k);
  }
}

export interface StageMetrics extends ErrorMetrics {
  /** Trace name, e.g. `l3.post_ffn`. */
  readonly name: string;
  /** Block index, −1 for the embedding. */
  readonly block: number;
  /** Stage within the block, e.g. `ln1`, `attn`, `post_attn`, `ffn`. */
  readonly stage: string;
}

export interface RoutingMetrics {
  readonly block: number;
  /** Fraction of tokens whose top-k expert set equals the float reference's. */
  readonly agreement: number;
  /** Fraction of tokens whose first choice equals the reference's first choice. */
  readonly top1: number;
}

export interface AblationRow extends ErrorMetrics {
  /** `hw` (the design as given), `exact exp`, `exact recip`, `exact rsqrt`, `exact gelu`, `all exact`. */
  readonly name: string;
  /** Mean top-k set agreement over the MoE blocks (1 when there is none). */
  readonly routing: number;
}

export interface ValidationReport {
  readonly design: string;
  readonly model: string;
  readonly layers: number;
  readonly task: number;
  readonly provenance: string;
  readonly syntheticNames: readonly string[];
  readonly stages: readonly StageMetrics[];
  readonly routing: readonly RoutingMetrics[];
  /** Final residual stream (after the last block run). */
  readonly endToEnd: ErrorMetrics;
  /**
   * The same over the tokens whose top-k expert set matched the reference in EVERY MoE block: a
   * routing flip sends a token through a different expert, a large discrete error that dominates
   * the L2 figures; this row shows the smooth quantisation error without it.
   */
  readonly endToEndConsistent: ErrorMetrics & { readonly tokens: number };
  /** Logits of the classifier head (models with one, all blocks run); top1: same arg-max class. */
  readonly logits?: ErrorMetrics & { readonly top1: boolean };
  readonly ablation?: readonly AblationRow[];
  readonly floatMs: number;
  readonly fixedMs: number;
}

export interface ValidateOptions {
  readonly layers?: number;
  /** Add one end-to-end row per approximation switched to its exact float function. */
  readonly ablate?: boolean;
  /** Also receives the fixed-point trace (e.g. a DirectoryTrace). */
  readonly trace?: TraceSink;
  /**
   * Called after every block of every pass (float64 reference, fixed point, each ablation), so a
   * caller can draw progress: `validateSteps()` blocks in all.
   */
  readonly onBlock?: (pass: string) => void;
}

/** Blocks `validate` runs in total (the unit of `onBlock`). */
export function validateSteps(layers: number, ablate = false): number {
  return layers * (2 + (ablate ? ABLATIONS.length : 0));
}

/** Forwards a trace and reports the end of each block (its residual after the FFN). */
function countBlocks(next: TraceSink, onBlock: ((pass: string) => void) | undefined, pass: string): TraceSink {
  if (!onBlock) return next;
  return {
    tensor(name, data, rows, cols) {
      next.tensor(name, data, rows, cols);
      if (/^l\d+\.post_ffn$/.test(name)) onBlock(pass);
    },
    routing(block, top, weights, k) { next.routing(block, top, weights, k); },
  };
}

/** Block of a trace name: l{i}.* → i, the head's norm/pooled/logits → depth, x_embed → −1. */
function stageOf(name: string, depth: number): { block: number; stage: string } {
  const m = /^l(\d+)\.(.+)$/.exec(name);
  if (m) return { block: Number(m[1]), stage: m[2]! };
  return { block: name === 'x_embed' ? -1 : depth, stage: name };
}

function argmax(a: Float64Array): number {
  let k = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[k]!) k = i;
  return k;
}

function top1Agreement(a: Int32Array, b: Int32Array, k: number): number {
  const n = a.length / k;
  let same = 0;
  for (let t = 0; t < n; t++) if (a[t * k] === b[t * k]) same++;
  return n === 0 ? 1 : same / n;
}

const ABLATIONS: readonly { name: string; approx: Partial<DesignPoint['approx']> }[] = [
  { name: 'exact exp', approx: { exp: 'exact' } },
  { name: 'exact recip', approx: { recip: 'exact' } },
  { name: 'exact rsqrt', approx: { rsqrt: 'exact' } },
  { name: 'exact gelu', approx: { gelu: 'exact' } },
  { name: 'all exact', approx: { exp: 'exact', recip: 'exact', rsqrt: 'exact', gelu: 'exact' } },
];

export function validate(design: DesignPoint, weights: WeightSet, image: Float32Array,
  opts: ValidateOptions = {}): ValidationReport {
  const model = design.model;
  const layers = opts.layers ?? model.depth;
  const task = design.moe.task;

  const ref = new MemoryTrace();
  let t0 = performance.now();
  const refOut = forwardReference(model, weights, image, { layers, task, trace: countBlocks(ref, opts.onBlock, 'float64') });
  const refLogits = model.head && layers === model.depth ? classify(model, weights, refOut, ref) : undefined;
  const floatMs = performance.now() - t0;

  const qw = quantizeWeights(design, weights);
  const fix = new MemoryTrace(true, opts.trace);
  t0 = performance.now();
  const res = forwardFixed(design, qw, image, { layers, trace: countBlocks(fix, opts.onBlock, 'fixed point') });
  const fixedMs = performance.now() - t0;

  const stages: StageMetrics[] = [];
  for (const name of fix.names) {
    const r = ref.tensors.get(name);
    if (!r) continue;
    stages.push({ name, ...stageOf(name, model.depth), ...errorMetrics(r.data, fix.tensors.get(name)!.data) });
  }
  const routing: RoutingMetrics[] = [];
  const N = refOut.length / model.dim;
  const consistent = new Array<boolean>(N).fill(true);
  for (const [block, f] of fix.routes) {
    const r = ref.routes.get(block);
    if (!r) continue;
    routing.push({ block, agreement: routingAgreement(r.top, f.top, f.k), top1: top1Agreement(r.top, f.top, f.k) });
    routingMatches(r.top, f.top, f.k).forEach((ok, t) => { if (!ok) consistent[t] = false; });
  }
  const endToEndConsistent = {
    ...errorMetrics(refOut, res.output, { keep: consistent, cols: model.dim }),
    tokens: consistent.filter((x) => x).length,
  };

  let ablation: AblationRow[] | undefined;
  if (opts.ablate) {
    const meanRouting = (t: MemoryTrace): number => {
      const vals = [...t.routes].map(([b, f]) => routingAgreement(ref.routes.get(b)!.top, f.top, f.k));
      return vals.length ? vals.reduce((a, v) => a + v, 0) / vals.length : 1;
    };
    ablation = [{ name: 'hw', ...errorMetrics(refOut, res.output), routing: meanRouting(fix) }];
    for (const a of ABLATIONS) {
      const d: DesignPoint = { ...design, approx: { ...design.approx, ...a.approx } };
      const t = new MemoryTrace(false);
      const out = forwardFixed(d, qw, image, { layers, trace: countBlocks(t, opts.onBlock, a.name) }).output;
      ablation.push({ name: a.name, ...errorMetrics(refOut, out), routing: meanRouting(t) });
    }
  }

  return {
    design: design.name, model: model.name, layers, task,
    provenance: weights.provenance, syntheticNames: weights.syntheticNames,
    stages, routing, endToEnd: errorMetrics(refOut, res.output), endToEndConsistent, ablation, floatMs, fixedMs,
    ...(refLogits && res.logits
      ? { logits: { ...errorMetrics(refLogits, res.logits), top1: argmax(refLogits) === argmax(res.logits) } }
      : {}),
  };
}
