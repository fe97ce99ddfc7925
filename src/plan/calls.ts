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

/** Accumulates one call's loop trips by loop name; loop indices are looked up once per context. */
class CallBuilder {
  private readonly trips: LoopTrips[] = [];
  constructor(private readonly c: ScheduleContext, private readonly prefix: string) {}
  /** `entries` entries of loop `name` with `perEntry` iterations each (nothing when either is 0). */
  add(name: string, entries: number, perEntry: number): this {
    if (entries <= 0 || perEntry <= 0) return this;
    const loop = loopIndex(this.c, `${this.prefix}.${name}`);
    const i = this.trips.findIndex((t) => t.loop === loop);
    if (i < 0) this.trips.push({ loop, iterations: entries * perEntry, entries });
    else this.trips[i] = { loop, iterations: this.trips[i]!.iterations + entries * perEntry, entries: this.trips[i]!.entries + entries };
    return this;
  }
  build(unit: UnitId, block: number, stage: string, macs: number, key: string): UnitCall {
    return { unit, block, stage, trips: this.trips, macs, key };
  }
}

function loopIndex(c: ScheduleContext, id: string): number {
  let i = c.index.get(id);
  if (i === undefined) {
    const loop = c.byId.get(id);
    if (!loop) throw new Error(`plan: a call names unknown loop ${id}`);
    c.index.set(id, (i = loop.index));
  }
  return i;
}

/** Calls with the same key have the same trips: build each shape once per context. */
function cached(c: ScheduleContext, key: string, block: number, stage: string, make: () => UnitCall): UnitCall {
  let hit = c.calls.get(key);
  if (!hit) c.calls.set(key, (hit = make()));
  return hit.block === block && hit.stage === stage ? hit : { ...hit, block, stage };
}

export interface ScheduleContext {
  readonly d: DesignPoint;
  readonly g: Geometry;
  readonly byId: ReadonlyMap<string, LoopSpec>;
  /** The linear unit's loop indices by name (linearLoops), filled on first use. */
  readonly linear?: Record<string, number>;
  /** Loop indices by id (loopIndex). */
  readonly index: Map<string, number>;
  /** Calls built so far, by key (see `cached`). */
  readonly calls: Map<string, UnitCall>;
  /** Blocks scheduled so far, by signature (see `blockCalls`). */
  readonly blocks: Map<string, { readonly block: number; readonly calls: UnitCall[]; readonly pendingOut: boolean }>;
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
/** Indices of the linear unit's loops (looked up once per context). */
function linearLoops(c: ScheduleContext): Record<string, number> {
  let ix = c.linear;
  if (!ix) {
    ix = {};
    for (const l of c.byId.values()) if (l.unit === 'linear') ix[l.id.slice('linear.'.length)] = l.index;
    (c as { linear?: Record<string, number> }).linear = ix;
  }
  return ix;
}

export function linearCall(c: ScheduleContext, block: number, cur: LinearCallShape | null, next: LinearCallShape | null): UnitCall {
  const { g } = c;
  const pingpong = c.d.buffers.weights === 'pingpong';
  const stage = cur ? cur.stage : next ? next.stage : 'weights';
  const key = `lin:${shapeKey(cur)}:${pingpong ? shapeKey(next) : ''}`;
  return cached(c, key, block, stage, () => {
    // Built directly (the hottest call of the DSE): one LoopTrips per loop that runs.
    const ix = linearLoops(c);
    const trips: LoopTrips[] = [];
    const add = (name: string, entries: number, perEntry: number): void => {
      if (entries > 0 && perEntry > 0) trips.push({ loop: ix[name]!, iterations: entries * perEntry, entries });
    };
    const load = pingpong ? next : cur;
    if (load) {
      add('load_w', 1, tiles(g, load) * g.wTileWords);
      add('load_b', 1, biasWords(g, load));
    }
    let macs = 0;
    if (cur && cur.rows > 0) {
      const xw = g.rowWords(cur.K);
      const yw = g.rowWords(cur.N);
      const n = cur.rows;
      if (cur.gather) {
        add('gather_rows', 1, n);
        add('gather_x', n, xw);
      } else {
        if (cur.scatter) add('routes', 1, n);
        add('read_x', 1, n * xw);
      }
      add('rows', 1, n);
      add('unpack', n, xw);
      add('macs', n, tiles(g, cur));
      add('pack', n, yw);
      if (cur.scatter) {
        add('scatter_rows', 1, n);
        add('scatter_y', n, yw);
      } else {
        add('write_y', 1, n * yw);
      }
      macs = n * cur.K * cur.N;
    }
    return { unit: 'linear', block, stage, trips, macs, key };
  });
}

export function patchEmbedCall(c: ScheduleContext): UnitCall {
  return cached(c, 'embed', -1, 'patch_embed', () => patchEmbedTrips(c));
}

function patchEmbedTrips(c: ScheduleContext): UnitCall {
  const { g, d } = c;
  const dw = g.rowWords(g.D);
  const pw = Math.ceil(g.dims.patchK / g.lanes.pixel);
  const n = g.dims.patches;
  const b = new CallBuilder(c, 'embed')
    .add('load_w', 1, g.peTiles * g.peTileWords).add('load_b', 1, Math.ceil(g.D / g.lanes.bias))
    .add('class_token', d.model.classToken === 'none' ? 0 : 1, dw)
    .add('read', 1, n * pw).add('read_pos', 1, n * dw)
    .add('rows', 1, n).add('unpack', n, pw).add('macs', n, g.peTiles).add('pack', n, dw).add('write', 1, n * dw);
  return b.build('patch-embed', -1, 'patch_embed', n * g.dims.patchK * g.D, 'embed');
}

export function attentionCall(c: ScheduleContext, block: number): UnitCall {
  return cached(c, 'attn', block, 'attention', () => attentionTrips(c, block));
}

function attentionTrips(c: ScheduleContext, block: number): UnitCall {
  const { g } = c;
  const T = g.dims.tokens;
  const H = g.heads;
  const hw = g.headDim / g.lanes.fm;
  const qb = Math.ceil(T / g.P);
  const kt = g.headDim / g.B;
  const b = new CallBuilder(c, 'attention')
    .add('heads', 1, H).add('load_kv', H, T * hw).add('query_blocks', H, qb)
    .add('load_q', 1, H * T * hw).add('scores', H * qb, T * kt).add('softmax', H * qb, T * g.P)
    .add('reciprocals', H * qb, g.P).add('values', H * qb, T * kt).add('store', 1, H * T * hw);
  // load_q and store: one entry per query block, rows × HEAD_WORDS iterations each.
  const call = b.build('attention', block, 'attention', 2 * H * T * T * g.headDim, 'attn');
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
  return cached(c, 'ln', block, stage, () => layerNormTrips(c, block, stage));
}

function layerNormTrips(c: ScheduleContext, block: number, stage: string): UnitCall {
  const { g } = c;
  const T = g.dims.tokens;
  const dw = g.rowWords(g.D);
  const b = new CallBuilder(c, 'layernorm')
    .add('load_affine', 1, Math.ceil(g.D / g.lanes.norm)).add('read', 1, T * dw).add('rows', 1, T)
    .add('stats', T, g.lnLanes > 1 ? dw : g.D).add('normalise', T, dw).add('write', 1, T * dw);
  return b.build('layernorm', block, stage, 0, 'ln');
}

export function residualCall(c: ScheduleContext, block: number, stage: string): UnitCall {
  return cached(c, 'res', block, stage, () =>
    new CallBuilder(c, 'residual').add('words', 1, c.g.dims.tokens * c.g.rowWords(c.g.D)).build('residual', block, stage, 0, 'res'));
}

export function routerCall(c: ScheduleContext, block: number): UnitCall {
  return cached(c, 'router', block, 'router', () => routerTrips(c, block));
}

function routerTrips(c: ScheduleContext, block: number): UnitCall {
  const { g } = c;
  const T = g.dims.tokens;
  const b = new CallBuilder(c, 'router')
    .add('tokens', 1, T).add('read', T, g.rowWords(g.experts)).add('scan', T, g.experts).add('select', T, g.topK)
    .add('clear_y', 1, T * g.rowWords(g.D));
  return b.build('moe-router', block, 'router', 0, 'router');
}

export function kernelLoopsCall(c: ScheduleContext, moeBlocks: number): UnitCall {
  const b = new CallBuilder(c, 'kernel').add('blocks', 1, c.d.model.depth);
  if (c.g.experts > 0) b.add('experts', moeBlocks, c.g.experts);
  return b.build('kernel', -1, 'control', 0, `kernel:${moeBlocks}`);
}

/** Tokens routed to each expert of block `l` (MoE blocks only). */
export type QueueLengths = (block: number) => readonly number[];

/** The calls of one image grouped by block: blocks with equal signatures make equal calls. */
export interface BlockedSchedule {
  /** Patch embedding and the first exposed weight load. */
  readonly prologue: readonly UnitCall[];
  readonly blocks: readonly { readonly block: number; readonly signature: string; readonly calls: readonly UnitCall[] }[];
  /** The top function's loop control. */
  readonly epilogue: readonly UnitCall[];
}

/**
 * The calls of block `l` given whether the weights of its qkv are already loaded (`pendingIn`);
 * returns whether the next block's qkv weights are loaded at its end. Memoised per context by the
 * block's signature (kind, widths, queue lengths, whether a next block follows).
 */
function blockCalls(c: ScheduleContext, l: number, counts: readonly number[], pendingIn: boolean): { calls: UnitCall[]; pendingOut: boolean; signature: string } {
  const { d, g } = c;
  const m = d.model;
  const b = m.blocks[l]!;
  const last = l + 1 >= m.depth;
  const signature = `${b.kind}:${b.hidden}:${b.kind === 'moe' ? counts.join(',') : ''}:${last ? 1 : 0}:${pendingIn ? 1 : 0}`;
  const memo = c.blocks.get(signature);
  if (memo) return { calls: memo.block === l ? memo.calls : memo.calls.map((x) => ({ ...x, block: l })), pendingOut: memo.pendingOut, signature };
  const T = g.dims.tokens;
  const D = m.dim;
  const pingpong = d.buffers.weights === 'pingpong';
  const lin = (stage: string, K: number, N: number, bias: LinearCallShape['bias'], rows = T, gather = false, scatter = false): LinearCallShape =>
    ({ stage, K, N, rows, bias, gather, scatter });
  const qkv = lin('qkv', D, 3 * D, 'attn');
  const calls: UnitCall[] = [];
  let pending = pendingIn;
  // The kernel keeps the next linear call's weights loading while the current one computes.
  const run = (cur: LinearCallShape, next: LinearCallShape | null): void => {
    if (pingpong && !pending) calls.push(linearCall(c, l, null, cur));
    calls.push(linearCall(c, l, cur, next));
    pending = pingpong && next !== null;
  };
  const nextQkv = last ? null : qkv;
  calls.push(layerNormCall(c, l, 'ln1'));
  const proj = lin('proj', D, D, 'attn');
  run(qkv, proj);
  calls.push(attentionCall(c, l));
  const ffnFirst = b.kind === 'mlp' ? lin('fc1', D, b.hidden, 'ffn') : lin('gate', D, b.experts, 'none');
  run(proj, ffnFirst);
  calls.push(residualCall(c, l, 'residual1'));
  calls.push(layerNormCall(c, l, 'ln2'));
  if (b.kind === 'mlp') {
    const fc2 = lin('fc2', b.hidden, D, 'ffn');
    run(ffnFirst, fc2);
    run(fc2, nextQkv);
  } else {
    run(ffnFirst, null); // the experts' weights are known only after routing
    calls.push(routerCall(c, l));
    const used = counts.map((n, e) => (n > 0 ? e : -1)).filter((e) => e >= 0);
    used.forEach((e, i) => {
      const n = counts[e]!;
      const up = lin('experts', D, b.hidden, 'ffn', n, true, false);
      const down = lin('experts', b.hidden, D, 'ffn', n, false, true);
      const after = i + 1 < used.length ? lin('experts', D, b.hidden, 'ffn', counts[used[i + 1]!]!, true, false) : nextQkv;
      run(up, down);
      run(down, after);
    });
    if (used.length === 0) pending = false;
  }
  calls.push(residualCall(c, l, 'residual2'));
  c.blocks.set(signature, { block: l, calls, pendingOut: pending });
  return { calls, pendingOut: pending, signature };
}

/** Every call of one image by block, in the order the kernel makes them. */
export function blockedSchedule(c: ScheduleContext, queues: QueueLengths): BlockedSchedule {
  const { d } = c;
  const pingpong = d.buffers.weights === 'pingpong';
  const prologue: UnitCall[] = [patchEmbedCall(c)];
  // The kernel loads block 0's qkv weights right after the patch embedding (an exposed load).
  if (pingpong) {
    const D = d.model.dim;
    const first = linearCall(c, -1, null, { stage: 'qkv', K: D, N: 3 * D, rows: c.g.dims.tokens, bias: 'attn', gather: false, scatter: false });
    prologue.push({ ...first, stage: 'weights' });
  }
  let pending = pingpong;
  let moeBlocks = 0;
  const blocks: { block: number; signature: string; calls: UnitCall[] }[] = [];
  for (let l = 0; l < d.model.depth; l++) {
    const isMoe = d.model.blocks[l]!.kind === 'moe';
    if (isMoe) moeBlocks++;
    const r = blockCalls(c, l, isMoe ? queues(l) : [], pending);
    pending = r.pendingOut;
    blocks.push({ block: l, signature: r.signature, calls: r.calls });
  }
  return { prologue, blocks, epilogue: [kernelLoopsCall(c, moeBlocks)] };
}

/** Every call of one image, in the order the kernel makes them. */
export function imageSchedule(c: ScheduleContext, queues: QueueLengths): UnitCall[] {
  const s = blockedSchedule(c, queues);
  return [...s.prologue, ...s.blocks.flatMap((b) => b.calls), ...s.epilogue];
}
