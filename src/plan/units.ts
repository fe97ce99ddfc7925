/**
 * The loop nests and buffers of every hardware unit, as the templates emit them (same labels,
 * same pragmas, same per-iteration multipliers). A loop's trip count per call is computed in
 * calls.ts from the call's shape; here it has its C++ bound and what one iteration costs.
 */
import type { DesignPoint } from '../design/types.js';
import { differenceBits, operandBits as ob } from './operands.js';
import type { Geometry } from './geometry.js';
import { LATENCY, log2c, mathLatency, recurrenceII } from './latency.js';
import type { AxiSite, BufferSpec, LoopSpec, MathSite, MulSite, TreeSite, UnitId, UnitSpec } from './types.js';

interface LoopInit {
  bound: string;
  doc: string;
  ii?: number | null;
  depth?: number;
  bodyLatency?: number;
  parent?: string;
  process?: string;
  dependence?: { variable: string; distance: number };
  axi?: AxiSite[];
  muls?: MulSite[];
  math?: MathSite[];
  trees?: TreeSite[];
}

class UnitBuilder {
  readonly loops: LoopSpec[] = [];
  readonly buffers: BufferSpec[] = [];
  constructor(readonly unit: UnitId, private readonly counter: { n: number }) {}

  loop(name: string, o: LoopInit): void {
    const prefix = this.unit === 'moe-router' ? 'router' : this.unit === 'patch-embed' ? 'embed' : this.unit;
    this.loops.push({
      index: this.counter.n++, id: `${prefix}.${name}`, label: `${prefix}_${name}`, unit: this.unit,
      parent: o.parent ? `${prefix}.${o.parent}` : undefined, process: o.process, bound: o.bound, doc: o.doc,
      ii: o.ii === undefined ? 1 : o.ii, depth: o.depth ?? LATENCY.loopOverhead, bodyLatency: o.bodyLatency ?? 0,
      dependence: o.dependence, axi: o.axi ?? [], muls: o.muls ?? [], math: o.math ?? [], trees: o.trees ?? [],
      tripMin: 0, tripMax: 0,
    });
  }

  buffer(b: Omit<BufferSpec, 'unit' | 'id'>): void {
    this.buffers.push({
      id: `${this.unit}.${b.name}`, unit: this.unit, name: b.name, elemBits: b.elemBits, shape: b.shape, banks: b.banks,
      partition: b.partition, storage: b.storage, copies: b.copies, doc: b.doc,
    });
  }
}

const rd = (bundle: AxiSite['bundle']): AxiSite => ({ bundle, dir: 'read' });
const wr = (bundle: AxiSite['bundle']): AxiSite => ({ bundle, dir: 'write' });

/** Storage of an on-chip array: tiny arrays in registers/LUTRAM, deep ones in URAM when the part has it. */
function storageFor(bitsPerBank: number, depth: number, uram: boolean): BufferSpec['storage'] {
  if (depth <= 2) return 'registers';
  if (bitsPerBank * depth < 1024) return 'lutram';
  return uram && depth >= 4096 ? 'uram' : 'bram';
}

export function buildUnits(d: DesignPoint, g: Geometry, partHasUram: boolean): UnitSpec[] {
  const t = d.types;
  const lat = mathLatency(d);
  const counter = { n: 0 };
  const fm = ob(t.fm);
  const fmW = t.fm.W;
  const pingpong = d.buffers.weights === 'pingpong';
  const L = g.lanes;
  const units: UnitSpec[] = [];

  // ---- Patch embedding (conv unit): TI×TO multipliers over pixels × patch weights.
  {
    const u = new UnitBuilder('patch-embed', counter);
    u.loop('load_w', { bound: 'PE_TILES * PE_TILE_WORDS', doc: 'patch weights, one packed word per cycle', axi: [rd('gmem_w')] });
    u.loop('load_b', { bound: 'PE_BIAS_WORDS', doc: 'patch-embedding bias words', axi: [rd('gmem_p')] });
    if (d.model.classToken !== 'none') {
      u.loop('class_token', {
        bound: 'DIM_WORDS', doc: 'class-token row: pos_embed row 0' + (d.model.classToken === 'parameter' ? ' + cls_token' : ''),
        axi: d.model.classToken === 'parameter' ? [rd('gmem_p'), rd('gmem_p'), wr('gmem_c')] : [rd('gmem_p'), wr('gmem_c')],
      });
    }
    u.loop('read', { bound: 'PATCHES * PATCH_WORDS', doc: 'patch pixels (host-side im2col rows)', process: 'read', axi: [rd('gmem_a')] });
    u.loop('read_pos', { bound: 'PATCHES * DIM_WORDS', doc: 'positional-embedding rows of the patch tokens (a process of its own)', process: 'read_pos', axi: [rd('gmem_p')] });
    u.loop('rows', { bound: 'PATCHES', doc: 'one patch', ii: null, process: 'compute' });
    u.loop('unpack', { bound: 'PATCH_WORDS', doc: 'patch words into the partitioned row buffer', parent: 'rows', depth: 2 });
    u.loop('macs', {
      bound: 'PE_TILES', doc: 'TILE_IN pixels × TILE_OUT outputs per cycle', parent: 'rows',
      depth: LATENCY.mul + log2c(d.linear.tileIn) + LATENCY.add + 2,
      muls: [{ count: g.TI * g.TO, wa: ob(t.pixel), wb: ob(t.patchWeight), what: 'pixel × patch weight' }],
      trees: [{ count: g.TO, inputs: g.TI, width: t.accum.W }],
    });
    u.loop('pack', { bound: 'DIM_WORDS', doc: 'add the positional embedding, pack a token row', parent: 'rows', depth: 3 });
    u.loop('write', { bound: 'PATCHES * DIM_WORDS', doc: 'patch-token rows to X', process: 'write', axi: [wr('gmem_c')] });
    u.buffer({ name: 'pe_w', elemBits: d.axiBits, shape: [g.peTileWords, g.peTiles], banks: g.peTileWords, partition: [{ dim: 1, kind: 'complete' }], storage: storageFor(d.axiBits, g.peTiles, partHasUram), copies: 1, doc: 'patch weights, one tile per address' });
    u.buffer({ name: 'pe_b', elemBits: t.bias.W, shape: [g.D], banks: g.TO, partition: [{ dim: 1, kind: 'cyclic', factor: g.TO }], storage: 'lutram', copies: 1, doc: 'patch bias' });
    u.buffer({ name: 'pe_x', elemBits: t.pixel.W, shape: [Math.ceil(g.dims.patchK / g.pePart) * g.pePart], banks: g.pePart, partition: [{ dim: 1, kind: 'cyclic', factor: g.pePart }], storage: 'lutram', copies: 1, doc: 'one patch row' });
    u.buffer({ name: 'pe_y', elemBits: fmW, shape: [Math.ceil(g.D / g.yPart) * g.yPart], banks: g.yPart, partition: [{ dim: 1, kind: 'cyclic', factor: g.yPart }], storage: 'lutram', copies: 1, doc: 'one token row before the positional add' });
    units.push({ id: 'patch-embed', function: 'patch_embed', doc: 'patch embedding: the conv unit (Edge-MoE), weights resident for the image', dataflow: { chain: ['read', 'compute', 'write'], independent: ['read_pos'] }, loops: u.loops, buffers: u.buffers });
  }

  // ---- Unified linear unit: one instance, runtime dimensions, whole-layer weight buffers.
  {
    const u = new UnitBuilder('linear', counter);
    const lp = pingpong ? 'load' : undefined;
    u.loop('load_w', { bound: 'n_tiles * W_TILE_WORDS', doc: pingpong ? "the next call's weight tiles into the idle buffer" : "this call's weight tiles", process: lp, axi: [rd('gmem_w')] });
    u.loop('load_b', { bound: 'bias_words', doc: 'bias words, unpacked into the bias banks', process: lp, axi: [rd('gmem_p')] });
    u.loop('read_x', { bound: 'n_rows * x_words', doc: 'input rows, one word per cycle (one burst)', process: 'read', axi: [rd('gmem_a')] });
    const moe = g.experts > 0;
    if (moe) u.loop('routes', { bound: 'n_rows', doc: "MoE: each queued row's token and gate probability, to the writer", process: 'read' });
    if (moe) u.loop('gather_rows', { bound: 'n_rows', doc: "an expert's queued token rows (MoE)", ii: null, process: 'read' });
    if (moe) u.loop('gather_x', { bound: 'x_words', doc: 'one queued row (one burst each)', parent: 'gather_rows', axi: [rd('gmem_a')] });
    u.loop('rows', { bound: 'n_rows', doc: 'one row: unpack, multiply, pack', ii: null, process: 'compute' });
    u.loop('unpack', { bound: 'x_words', doc: 'input words into the partitioned row buffer', parent: 'rows', depth: 2 });
    u.loop('macs', {
      bound: 'n_tiles', doc: 'TILE_IN inputs × TILE_OUT outputs per cycle (weight tile per address)', parent: 'rows',
      depth: LATENCY.bramRead + LATENCY.mul + log2c(g.TI) + LATENCY.add + 2 + lat.gelu,
      muls: [{ count: g.TI * g.TO, wa: fm, wb: ob(t.linearWeight), what: 'fm × weight' }],
      math: [{ fn: 'gelu', count: g.TO }], trees: [{ count: g.TO, inputs: g.TI, width: t.accum.W }],
    });
    u.loop('pack', { bound: 'y_words', doc: 'output row into words', parent: 'rows', depth: 2 });
    u.loop('write_y', { bound: 'n_rows * y_words', doc: 'output rows (one burst)', process: 'write', axi: [wr('gmem_c')] });
    if (moe) u.loop('scatter_rows', { bound: 'n_rows', doc: 'MoE: add p·y into each queued token row', ii: null, process: 'write' });
    if (moe) u.loop('scatter_y', {
      bound: 'y_words', doc: 'read-add-write one word of a token row', parent: 'scatter_rows', depth: LATENCY.mul + LATENCY.add + 2,
      axi: [rd('gmem_b'), wr('gmem_c')], muls: [{ count: L.fm, wa: fm, wb: fm, what: 'gate probability × expert output' }],
    });
    const copies = pingpong ? 2 : 1;
    u.buffer({ name: 'w_buf', elemBits: d.axiBits, shape: [g.wTileWords, g.wDepth], banks: g.wTileWords, partition: [{ dim: 1, kind: 'complete' }], storage: storageFor(d.axiBits, g.wDepth, partHasUram), copies, doc: 'weight tiles of a whole layer (MAX_LINEAR_DIM_PRODUCT)' });
    u.buffer({ name: 'b_buf', elemBits: Math.max(t.attnBias.W, t.bias.W) + 2, shape: [g.bParts, g.bDepth], banks: g.bParts, partition: [{ dim: 1, kind: 'complete' }], storage: storageFor(Math.max(t.attnBias.W, t.bias.W) + 2, g.bDepth, false), copies, doc: 'bias of a whole layer' });
    u.buffer({ name: 'x_buf', elemBits: fmW, shape: [g.maxIn], banks: g.xPart, partition: [{ dim: 1, kind: 'cyclic', factor: g.xPart }], storage: storageFor(fmW, g.maxIn / g.xPart, false), copies: 1, doc: 'one input row' });
    u.buffer({ name: 'y_buf', elemBits: fmW, shape: [g.maxOut], banks: g.yPart, partition: [{ dim: 1, kind: 'cyclic', factor: g.yPart }], storage: storageFor(fmW, g.maxOut / g.yPart, false), copies: 1, doc: 'one output row' });
    units.push({
      id: 'linear', function: 'linear_unit', doc: 'unified linear unit: qkv, projection, MLP, gate and experts',
      dataflow: { chain: ['read', 'compute', 'write'], independent: pingpong ? ['load'] : [] }, loops: u.loops, buffers: u.buffers,
    });
  }

  // ---- Attention: per head, K and V slices on chip; ATTN_PARALLEL query rows per pass.
  {
    const u = new UnitBuilder('attention', counter);
    const dIters = g.headDim / g.B;
    const sm = ob(t.softmax);
    u.loop('heads', { bound: 'HEADS', doc: 'one head', ii: null });
    u.loop('load_kv', { bound: 'TOKENS * HEAD_WORDS', doc: "the head's K and V slices, one word of each per cycle", parent: 'heads', axi: [rd('gmem_a'), rd('gmem_b')] });
    u.loop('query_blocks', { bound: 'QUERY_BLOCKS', doc: 'ATTN_PARALLEL query rows', ii: null, parent: 'heads' });
    u.loop('load_q', { bound: 'rows * HEAD_WORDS', doc: 'query rows of the block', parent: 'query_blocks', axi: [rd('gmem_a')] });
    u.loop('scores', {
      bound: 'TOKENS * KEY_TILES', doc: 'DOT_TILE features of one key × ATTN_PARALLEL queries per cycle', parent: 'query_blocks',
      depth: LATENCY.bramRead + 2 * LATENCY.mul + log2c(g.B) + LATENCY.add + 1,
      muls: [{ count: g.P * g.B, wa: fm, wb: fm, what: 'q × k' }, { count: g.P, wa: ob(t.accum), wb: fm, what: 'dot × 1/sqrt(d)' }],
      trees: [{ count: g.P, inputs: g.B, width: t.accum.W }],
    });
    u.loop('softmax', {
      bound: 'TOKENS * ATTN_PARALLEL', doc: 'single-pass softmax statistics, rows interleaved', parent: 'query_blocks',
      ii: recurrenceII(LATENCY.softmaxRecurrence, g.P), depth: LATENCY.bramRead + lat.exp + LATENCY.mul + LATENCY.add + 1,
      dependence: { variable: 'run_sum', distance: g.P },
      math: [{ fn: 'exp', count: 1 }], muls: [{ count: 1, wa: sm, wb: sm, what: 'running sum × exp' }],
    });
    u.loop('reciprocals', { bound: 'ATTN_PARALLEL', doc: '1 / running sum per query row', parent: 'query_blocks', depth: lat.recip + 1, math: [{ fn: 'recip', count: 1 }] });
    const rmw = LATENCY.bramRead + LATENCY.add;
    u.loop('values', {
      bound: 'TOKENS * KEY_TILES', doc: 'probabilities × DOT_TILE features of one V row', parent: 'query_blocks',
      ii: dIters < rmw ? 1 : recurrenceII(rmw, dIters), depth: LATENCY.bramRead + lat.exp + 2 * LATENCY.mul + LATENCY.add + 2,
      dependence: { variable: 'acc', distance: dIters },
      math: [{ fn: 'exp', count: g.P }],
      muls: [{ count: g.P, wa: sm, wb: sm, what: 'exp × 1/sum' }, { count: g.P * g.B, wa: fm, wb: fm, what: 'p × v' }],
    });
    u.loop('store', { bound: 'rows * HEAD_WORDS', doc: "the block's output rows (this head's slice)", parent: 'query_blocks', axi: [wr('gmem_c')] });
    const T = g.dims.tokens;
    const kvDepth = T * g.headDim / g.kvPart;
    u.buffer({ name: 'k_buf', elemBits: fmW, shape: [T, g.headDim], banks: g.kvPart, partition: [{ dim: 2, kind: 'cyclic', factor: g.kvPart }], storage: storageFor(fmW, kvDepth, partHasUram), copies: 1, doc: "one head's keys" });
    u.buffer({ name: 'v_buf', elemBits: fmW, shape: [T, g.headDim], banks: g.kvPart, partition: [{ dim: 2, kind: 'cyclic', factor: g.kvPart }], storage: storageFor(fmW, kvDepth, partHasUram), copies: 1, doc: "one head's values" });
    u.buffer({ name: 'q_blk', elemBits: fmW, shape: [g.P, g.headDim], banks: g.P * g.kvPart, partition: [{ dim: 1, kind: 'complete' }, { dim: 2, kind: 'cyclic', factor: g.kvPart }], storage: storageFor(fmW, g.headDim / g.kvPart, false), copies: 1, doc: 'query rows of the block' });
    u.buffer({ name: 'score', elemBits: fmW, shape: [g.P, T], banks: g.P, partition: [{ dim: 1, kind: 'complete' }], storage: storageFor(fmW, T, false), copies: 1, doc: 'scores of the block (on chip)' });
    u.buffer({ name: 'acc', elemBits: t.accum.W, shape: [g.P, g.headDim], banks: g.P * g.kvPart, partition: [{ dim: 1, kind: 'complete' }, { dim: 2, kind: 'cyclic', factor: g.kvPart }], storage: storageFor(t.accum.W, g.headDim / g.kvPart, false), copies: 1, doc: 'output accumulators' });
    units.push({ id: 'attention', function: 'attention_unit', doc: 'attention: reordered query blocks, single-pass softmax', loops: u.loops, buffers: u.buffers });
  }

  // ---- LayerNorm: statistics pass and normalise pass per row, rows streamed.
  {
    const u = new UnitBuilder('layernorm', counter);
    const ls = ob(t.lnStat);
    u.loop('load_affine', { bound: 'NORM_WORDS', doc: 'gamma and beta words', axi: [rd('gmem_p'), rd('gmem_p')] });
    u.loop('read', { bound: 'TOKENS * DIM_WORDS', doc: 'input rows', process: 'read', axi: [rd('gmem_a')] });
    u.loop('rows', {
      bound: 'TOKENS', doc: 'one row: statistics, 1/sigma, normalise', ii: null, process: 'compute',
      bodyLatency: 2 * LATENCY.mul + LATENCY.add + lat.rsqrt + 2,
      muls: [{ count: 2, wa: ls, wb: 33, what: 'sums × 1/DIM' }, { count: 1, wa: ls, wb: ls, what: 'mean²' }], math: [{ fn: 'rsqrt', count: 1 }],
    });
    u.loop('stats', {
      bound: g.lnLanes > 1 ? 'DIM_WORDS' : 'DIM', doc: `${g.lnLanes} feature(s) into the sums per cycle`, parent: 'rows', depth: LATENCY.mul + log2c(g.lnLanes) + LATENCY.add + 1,
      muls: [{ count: g.lnLanes, wa: fm, wb: fm, what: 'x²' }], trees: g.lnLanes > 1 ? [{ count: 2, inputs: g.lnLanes, width: t.lnStat.W }] : [],
    });
    u.loop('normalise', {
      bound: 'DIM_WORDS', doc: 'one word of (x − mean)·(1/sigma)·gamma + beta', parent: 'rows', depth: 2 * LATENCY.mul + LATENCY.add + 2,
      muls: [{ count: L.fm, wa: differenceBits(t.fm, t.lnStat), wb: ls, what: '(x − mean) × 1/sigma' }, { count: L.fm, wa: fm, wb: ob(t.norm), what: 'n × gamma' }],
    });
    u.loop('write', { bound: 'TOKENS * DIM_WORDS', doc: 'output rows', process: 'write', axi: [wr('gmem_c')] });
    u.buffer({ name: 'ln_row', elemBits: d.axiBits, shape: [g.rowWords(g.D)], banks: 1, partition: [], storage: storageFor(d.axiBits, g.rowWords(g.D), false), copies: 1, doc: 'the row between the two passes' });
    u.buffer({ name: 'ln_gamma', elemBits: t.norm.W, shape: [g.rowWords(g.D) * L.fm], banks: L.fm, partition: [{ dim: 1, kind: 'cyclic', factor: L.fm }], storage: storageFor(t.norm.W, g.rowWords(g.D), false), copies: 2, doc: 'gamma and beta' });
    units.push({ id: 'layernorm', function: 'layer_norm', doc: 'one-pass LayerNorm', dataflow: { chain: ['read', 'compute', 'write'], independent: [] }, loops: u.loops, buffers: u.buffers });
  }

  // ---- Residual adder: one word of each stream per cycle.
  {
    const u = new UnitBuilder('residual', counter);
    u.loop('words', { bound: 'TOKENS * DIM_WORDS', doc: 'x + y, FM_LANES features per cycle', depth: 3, axi: [rd('gmem_a'), rd('gmem_b'), wr('gmem_c')] });
    units.push({ id: 'residual', function: 'residual_add', doc: 'residual connection x = x + y', loops: u.loops, buffers: u.buffers });
  }

  // ---- MoE router: softmax over the gate logits, top-k, per-expert queues; output zeroing.
  if (g.experts > 0) {
    const u = new UnitBuilder('moe-router', counter);
    const sm = ob(t.softmax);
    u.loop('tokens', { bound: 'TOKENS', doc: 'route one token', ii: null, bodyLatency: lat.recip + 1, math: [{ fn: 'recip', count: 1 }] });
    u.loop('read', { bound: 'EXPERT_WORDS', doc: "the token's gate logits", parent: 'tokens', axi: [rd('gmem_a')] });
    u.loop('scan', {
      bound: 'EXPERTS', doc: 'running softmax statistics and top-k insertion', parent: 'tokens',
      ii: LATENCY.softmaxRecurrence, depth: lat.exp + LATENCY.mul + LATENCY.add + 2,
      math: [{ fn: 'exp', count: 1 }], muls: [{ count: 1, wa: sm, wb: sm, what: 'running sum × exp' }],
    });
    u.loop('select', {
      bound: 'TOP_K', doc: 'probability of a chosen expert, queue append', parent: 'tokens', depth: lat.exp + LATENCY.mul + 2,
      math: [{ fn: 'exp', count: 1 }], muls: [{ count: 1, wa: sm, wb: sm, what: 'exp × 1/sum' }],
    });
    u.loop('clear_y', { bound: 'TOKENS * DIM_WORDS', doc: 'zero the MoE output rows', axi: [wr('gmem_c')] });
    const T = g.dims.tokens;
    u.buffer({ name: 'queue', elemBits: 16, shape: [g.experts, T], banks: 1, partition: [], storage: storageFor(16, g.experts * T, false), copies: 1, doc: 'tokens queued per expert' });
    u.buffer({ name: 'queue_p', elemBits: fmW, shape: [g.experts, T], banks: 1, partition: [], storage: storageFor(fmW, g.experts * T, false), copies: 1, doc: 'their gate probabilities' });
    units.push({ id: 'moe-router', function: 'moe_route', doc: 'MoE gate softmax, top-k and expert queues (patch reordering)', loops: u.loops, buffers: u.buffers });
  }
  return units;
}
