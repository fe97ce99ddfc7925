/**
 * The schedule of one image: the sequence of unit calls the kernel's top function makes, with
 * each loop's iterations and entries for that call. MoE queue lengths are inputs (from the
 * functional simulator, a routing file or the uniform assumption): the schedule of an MoE block
 * depends on them exactly as the kernel's does (empty experts are skipped).
 */
import type { DesignPoint } from '../design/types.js';
import type { Geometry } from './geometry.js';
import type { LoopSpec, LoopTrips, UnitCall, UnitId } from './types.js';

/** One call of the linear unit: a [N][K] weight matrix on `rows` rows. */
export interface LinearCallShape {
  readonly stage: string;
  readonly K: number;
  readonly N: number;
  readonly rows: number;
  readonly bias: 'none' | 'attn' | 'ffn';
  readonly gather: boolean;
  readonly scatter: boolean;
}

type TripMap = Map<string, [number, number]>;

class CallBuilder {
  private readonly trips: TripMap = new Map();
  constructor(private readonly prefix: string) {}
  /** `entries` entries of loop `name` with `perEntry` iterations each (nothing when either is 0). */
  add(name: string, entries: number, perEntry: number): this {
    if (entries <= 0 || perEntry <= 0) return this;
    const key = `${this.prefix}.${name}`;
    const cur = this.trips.get(key) ?? [0, 0];
    this.trips.set(key, [cur[0] + entries * perEntry, cur[1] + entries]);
    return this;
  }
  build(byId: ReadonlyMap<string, LoopSpec>, unit: UnitId, block: number, stage: string, macs: number, key: string): UnitCall {
    const trips: LoopTrips[] = [];
    for (const [id, [iterations, entries]] of this.trips) {
      const loop = byId.get(id);
      if (!loop) throw new Error(`plan: call of ${unit} names unknown loop ${id}`);
      trips.push({ loop: loop.index, iterations, entries });
    }
    return { unit, block, stage, trips, macs, key };
  }
}

export interface ScheduleContext {
  readonly d: DesignPoint;
  readonly g: Geometry;
  readonly byId: ReadonlyMap<string, LoopSpec>;
}

const tiles = (g: Geometry, s: LinearCallShape): number => Math.ceil(s.K / g.TI) * Math.ceil(s.N / g.TO);
const biasWords = (g: Geometry, s: LinearCallShape): number =>
  s.bias === 'none' ? 0 : Math.ceil(s.N / (s.bias === 'attn' ? g.lanes.attnBias : g.lanes.bias));
const shapeKey = (s: LinearCallShape | null): string =>
  s ? `${s.K}x${s.N}x${s.rows}${s.bias[0]}${s.gather ? 'g' : ''}${s.scatter ? 's' : ''}` : '-';

/**
 * The linear unit computing `cur` (null: a load-only call) while, with ping-pong buffers, the
 * weights of `next` load into the idle buffer. Single buffering loads `cur`'s own weights first.
 */
export function linearCall(c: ScheduleContext, block: number, cur: LinearCallShape | null, next: LinearCallShape | null): UnitCall {
  const { g } = c;
  const b = new CallBuilder('linear');
  const pingpong = c.d.buffers.weights === 'pingpong';
  const load = pingpong ? next : cur;
  if (load) b.add('load_w', 1, tiles(g, load) * g.wTileWords).add('load_b', 1, biasWords(g, load));
  let macs = 0;
  if (cur && cur.rows > 0) {
    const xw = g.rowWords(cur.K);
    const yw = g.rowWords(cur.N);
    const n = cur.rows;
    if (cur.gather) b.add('gather_rows', 1, n).add('gather_x', n, xw);
    else b.add('routes', cur.scatter ? 1 : 0, n).add('read_x', 1, n * xw);
    b.add('rows', 1, n).add('unpack', n, xw).add('macs', n, tiles(g, cur)).add('pack', n, yw);
    if (cur.scatter) b.add('scatter_rows', 1, n).add('scatter_y', n, yw);
    else b.add('write_y', 1, n * yw);
    macs = n * cur.K * cur.N;
  }
  const stage = cur ? cur.stage : next ? next.stage : 'weights';
  return b.build(c.byId, 'linear', block, stage, macs, `lin:${shapeKey(cur)}:${pingpong ? shapeKey(next) : ''}`);
}

export function patchEmbedCall(c: ScheduleContext): UnitCall {
  const { g, d } = c;
  const dw = g.rowWords(g.D);
  const pw = Math.ceil(g.dims.patchK / g.lanes.pixel);
  const n = g.dims.patches;
  const b = new CallBuilder('embed')
    .add('load_w', 1, g.peTiles * g.peTileWords).add('load_b', 1, Math.ceil(g.D / g.lanes.bias))
    .add('class_token', d.model.classToken === 'none' ? 0 : 1, dw)
    .add('read', 1, n * pw).add('read_pos', 1, n * dw)
    .add('rows', 1, n).add('unpack', n, pw).add('macs', n, g.peTiles).add('pack', n, dw).add('write', 1, n * dw);
  return b.build(c.byId, 'patch-embed', -1, 'patch_embed', n * g.dims.patchK * g.D, 'embed');
}

export function attentionCall(c: ScheduleContext, block: number): UnitCall {
  const { g } = c;
  const T = g.dims.tokens;
  const H = g.heads;
  const hw = g.headDim / g.lanes.fm;
  const qb = Math.ceil(T / g.P);
  const kt = g.headDim / g.B;
  const b = new CallBuilder('attention')
    .add('heads', 1, H).add('load_kv', H, T * hw).add('query_blocks', H, qb)
    .add('load_q', 1, H * T * hw).add('scores', H * qb, T * kt).add('softmax', H * qb, T * g.P)
    .add('reciprocals', H * qb, g.P).add('values', H * qb, T * kt).add('store', 1, H * T * hw);
  // load_q and store: one entry per query block, rows × HEAD_WORDS iterations each.
  const call = b.build(c.byId, 'attention', block, 'attention', 2 * H * T * T * g.headDim, 'attn');
  const fix = (name: string): void => {
    const idx = c.byId.get(`attention.${name}`)!.index;
    const i = call.trips.findIndex((t) => t.loop === idx);
    (call.trips as LoopTrips[])[i] = { loop: idx, iterations: H * T * hw, entries: H * qb };
  };
  fix('load_q');
  fix('store');
  return call;
}

export function layerNormCall(c: ScheduleContext, block: number, stage: string): UnitCall {
  const { g } = c;
  const T = g.dims.tokens;
  const dw = g.rowWords(g.D);
  const b = new CallBuilder('layernorm')
    .add('load_affine', 1, Math.ceil(g.D / g.lanes.norm)).add('read', 1, T * dw).add('rows', 1, T)
    .add('stats', T, g.lnLanes > 1 ? dw : g.D).add('normalise', T, dw).add('write', 1, T * dw);
  return b.build(c.byId, 'layernorm', block, stage, 0, 'ln');
}

export function residualCall(c: ScheduleContext, block: number, stage: string): UnitCall {
  const b = new CallBuilder('residual').add('words', 1, c.g.dims.tokens * c.g.rowWords(c.g.D));
  return b.build(c.byId, 'residual', block, stage, 0, 'res');
}

export function routerCall(c: ScheduleContext, block: number): UnitCall {
  const { g } = c;
  const T = g.dims.tokens;
  const b = new CallBuilder('router')
    .add('tokens', 1, T).add('read', T, g.rowWords(g.experts)).add('scan', T, g.experts).add('select', T, g.topK)
    .add('clear_y', 1, T * g.rowWords(g.D));
  return b.build(c.byId, 'moe-router', block, 'router', 0, 'router');
}

export function kernelLoopsCall(c: ScheduleContext, moeBlocks: number): UnitCall {
  const b = new CallBuilder('kernel').add('blocks', 1, c.d.model.depth);
  if (c.g.experts > 0) b.add('experts', moeBlocks, c.g.experts);
  return b.build(c.byId, 'kernel', -1, 'control', 0, 'kernel');
}

/** Tokens routed to each expert of block `l` (MoE blocks only). */
export type QueueLengths = (block: number) => readonly number[];

/** Every call of one image, in the order the kernel makes them. */
export function imageSchedule(c: ScheduleContext, queues: QueueLengths): UnitCall[] {
  const { d, g } = c;
  const m = d.model;
  const T = g.dims.tokens;
  const D = m.dim;
  const pingpong = d.buffers.weights === 'pingpong';
  const lin = (stage: string, K: number, N: number, bias: LinearCallShape['bias'], rows = T, gather = false, scatter = false): LinearCallShape =>
    ({ stage, K, N, rows, bias, gather, scatter });
  const qkv = (): LinearCallShape => lin('qkv', D, 3 * D, 'attn');
  const calls: UnitCall[] = [patchEmbedCall(c)];
  let pending: LinearCallShape | null = null;
  // The kernel keeps the next linear call's weights loading while the current one computes.
  const run = (block: number, cur: LinearCallShape, next: LinearCallShape | null): void => {
    if (pingpong && pending === null) calls.push(linearCall(c, block, null, cur));
    calls.push(linearCall(c, block, cur, next));
    pending = pingpong ? next : null;
  };
  // The kernel loads block 0's qkv weights right after the patch embedding (an exposed load).
  if (pingpong) {
    const first = linearCall(c, -1, null, qkv());
    calls.push({ ...first, stage: 'weights' });
    pending = qkv();
  }
  let moeBlocks = 0;
  for (let l = 0; l < m.depth; l++) {
    const b = m.blocks[l]!;
    const nextQkv = l + 1 < m.depth ? qkv() : null;
    calls.push(layerNormCall(c, l, 'ln1'));
    run(l, qkv(), lin('proj', D, D, 'attn'));
    calls.push(attentionCall(c, l));
    const ffnFirst = b.kind === 'mlp' ? lin('fc1', D, b.hidden, 'ffn') : lin('gate', D, b.experts, 'none');
    run(l, lin('proj', D, D, 'attn'), ffnFirst);
    calls.push(residualCall(c, l, 'residual1'));
    calls.push(layerNormCall(c, l, 'ln2'));
    if (b.kind === 'mlp') {
      run(l, ffnFirst, lin('fc2', b.hidden, D, 'ffn'));
      run(l, lin('fc2', b.hidden, D, 'ffn'), nextQkv);
    } else {
      moeBlocks++;
      run(l, ffnFirst, null); // the experts' weights are known only after routing
      calls.push(routerCall(c, l));
      const counts = queues(l);
      const used = counts.map((n, e) => (n > 0 ? e : -1)).filter((e) => e >= 0);
      used.forEach((e, i) => {
        const n = counts[e]!;
        const fc1 = lin('experts', D, b.hidden, 'ffn', n, true, false);
        const after = i + 1 < used.length ? lin('experts', D, b.hidden, 'ffn', counts[used[i + 1]!]!, true, false) : nextQkv;
        run(l, fc1, lin('experts', b.hidden, D, 'ffn', n, false, true));
        run(l, lin('experts', b.hidden, D, 'ffn', n, false, true), after);
      });
      if (used.length === 0) pending = null;
    }
    calls.push(residualCall(c, l, 'residual2'));
  }
  calls.push(kernelLoopsCall(c, moeBlocks));
  return calls;
}
