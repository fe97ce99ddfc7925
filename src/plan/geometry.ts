/**
 * Sizes the plan derives from a design point: AXI word lanes per tensor class, tile counts,
 * buffer depths and the feature-map regions in off-chip memory. Everything here is a pure
 * function of the design; units.ts, the templates and the testbench all take it from here.
 */
import { UserError } from '../errors.js';
import type { DesignPoint, TensorClass } from '../design/types.js';
import { modelDims, type ModelDims } from '../model/ir.js';

/**
 * Bits one element occupies in an AXI word: hls::vector packs elements at their C++ size, and
 * an ap_[u]fixed<W> occupies the next power-of-two number of bytes (8, 16, 32, 64 bits).
 */
export function containerBits(W: number): number {
  return 8 * 2 ** Math.ceil(Math.log2(Math.ceil(W / 8)));
}

export function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
export const lcm = (a: number, b: number): number => (a / gcd(a, b)) * b;
const ceilTo = (x: number, m: number): number => Math.ceil(x / m) * m;

/** One call shape of the linear unit (a weight matrix [N][K]). */
export interface LinearShape {
  readonly name: string;
  readonly K: number;
  readonly N: number;
}

export interface Geometry {
  readonly dims: ModelDims;
  readonly D: number;
  readonly heads: number;
  readonly headDim: number;
  readonly TI: number;
  readonly TO: number;
  readonly P: number;
  readonly B: number;
  /** Elements per AXI word of each class. */
  readonly lanes: Readonly<Record<TensorClass, number>>;
  /** Words per fm row of `width` features. */
  readonly rowWords: (width: number) => number;
  /** Cyclic partition factors of the linear unit's input row and output row buffers. */
  readonly xPart: number;
  readonly yPart: number;
  /** Linear-unit weight tile: TI × TO weights in this many lw words. */
  readonly wTileWords: number;
  /** Tiles of the largest weight matrix (depth of each weight buffer bank). */
  readonly wDepth: number;
  /** Bias banks (lcm of TO and the bias words' lanes) and bank depth. */
  readonly bParts: number;
  readonly bDepth: number;
  /** Largest K and N of a linear call, rounded up to whole partition groups. */
  readonly maxIn: number;
  readonly maxOut: number;
  readonly linearShapes: readonly LinearShape[];
  /** Patch-embedding unit: input buffer partition, weight tile words, tiles. */
  readonly pePart: number;
  readonly peTileWords: number;
  readonly peTiles: number;
  /** Attention K/V/Q buffers' cyclic factor. */
  readonly kvPart: number;
  /** LayerNorm statistics lanes (features summed per cycle). */
  readonly lnLanes: number;
  /** Largest feed-forward hidden width (0 without), MoE experts (0 without). */
  readonly hidden: number;
  readonly experts: number;
  readonly topK: number;
}

const linearShapesOf = (d: DesignPoint): LinearShape[] => {
  const m = d.model;
  const shapes: LinearShape[] = [{ name: 'qkv', K: m.dim, N: 3 * m.dim }, { name: 'proj', K: m.dim, N: m.dim }];
  for (const b of m.blocks) {
    shapes.push({ name: 'ffn1', K: m.dim, N: b.hidden }, { name: 'ffn2', K: b.hidden, N: m.dim });
    if (b.kind === 'moe') shapes.push({ name: 'gate', K: m.dim, N: b.experts });
  }
  return shapes;
};

export function geometry(d: DesignPoint): Geometry {
  const m = d.model;
  const dims = modelDims(m);
  const { tileIn: TI, tileOut: TO } = d.linear;
  const { parallel: P, dotTile: B } = d.attention;
  const lanes = {} as Record<TensorClass, number>;
  for (const [cls, t] of Object.entries(d.types) as [TensorClass, { W: number }][]) {
    lanes[cls] = Math.max(1, Math.floor(d.axiBits / containerBits(t.W)));
  }
  const fmLanes = lanes.fm;
  if (d.axiBits < containerBits(d.types.fm.W)) {
    throw new UserError('axiBits', `${d.axiBits}-bit AXI words cannot carry one ${d.types.fm.W}-bit feature`, `≥ ${containerBits(d.types.fm.W)}`);
  }
  const headDim = dims.headDim;
  // Head slices of Q, K, V and attention outputs start on word boundaries.
  if (headDim % fmLanes !== 0) {
    throw new UserError('axiBits', `a head of ${headDim} features is not a whole number of ${d.axiBits}-bit words (${fmLanes} features each)`,
      `axiBits with ${headDim} divisible by the features per word`);
  }
  if (headDim % B !== 0) {
    throw new UserError('attention.dotTile', `${B} does not divide the head dimension ${headDim}`, `divisors of ${headDim}`);
  }
  const shapes = linearShapesOf(d);
  const rowWords = (width: number): number => Math.ceil(width / fmLanes);
  const xPart = lcm(TI, fmLanes);
  const yPart = lcm(TO, fmLanes);
  const wTileWords = Math.ceil((TI * TO) / lanes.linearWeight);
  const wDepth = Math.max(...shapes.map((s) => Math.ceil(s.K / TI) * Math.ceil(s.N / TO)));
  const bParts = lcm(TO, lcm(lanes.attnBias, lanes.bias));
  const maxOut = ceilTo(Math.max(...shapes.map((s) => s.N)), lcm(yPart, bParts));
  const lnWrap = d.types.lnStat.o === 'AP_WRAP' && d.types.lnStat.n === 0;
  const moe = m.blocks.find((b) => b.kind === 'moe');
  return {
    dims, D: m.dim, heads: m.heads, headDim, TI, TO, P, B, lanes, rowWords, xPart, yPart, wTileWords, wDepth,
    bParts, bDepth: maxOut / bParts,
    maxIn: ceilTo(Math.max(...shapes.map((s) => s.K)), xPart), maxOut, linearShapes: shapes,
    pePart: lcm(TI, lanes.pixel), peTileWords: Math.ceil((TI * TO) / lanes.patchWeight),
    peTiles: Math.ceil(dims.patchK / TI) * Math.ceil(m.dim / TO),
    kvPart: lcm(B, fmLanes),
    // Wrap-around sums are associative, so a tree over one word's features gives the same bits
    // as the sequential sum; with saturation the order matters and one feature goes per cycle.
    lnLanes: lnWrap ? fmLanes : 1,
    hidden: Math.max(0, ...m.blocks.map((b) => b.hidden)),
    experts: moe?.kind === 'moe' ? moe.experts : 0,
    topK: moe?.kind === 'moe' ? moe.topK : 0,
  };
}

/** Word offsets of the feature-map regions in the off-chip scratch memory (fm words). */
export interface FmRegions {
  readonly X: number;
  readonly U: number;
  readonly QKV: number;
  readonly O: number;
  readonly Y: number;
  readonly H: number;
  readonly L: number;
  readonly total: number;
}

export function fmRegions(g: Geometry): FmRegions {
  const T = g.dims.tokens;
  const sizes: [keyof Omit<FmRegions, 'total'>, number][] = [
    ['X', T * g.rowWords(g.D)], ['U', T * g.rowWords(g.D)], ['QKV', T * g.rowWords(3 * g.D)], ['O', T * g.rowWords(g.D)],
    ['Y', T * g.rowWords(g.D)], ['H', T * g.rowWords(g.hidden)], ['L', g.experts > 0 ? T * g.rowWords(g.experts) : 0],
  ];
  const out: Record<string, number> = {};
  let at = 0;
  for (const [k, n] of sizes) {
    out[k] = at;
    at += n;
  }
  return { ...(out as Omit<FmRegions, 'total'>), total: at };
}
