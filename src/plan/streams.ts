/**
 * FIFO streams of the dataflow regions and the AXI adapter parameters, as the templates declare
 * them (templates/hls/partials/{embed,linear,layernorm,top}.hbs). The plan's loops say which
 * process a loop runs in; this table says which loops write and read each hls::stream, so the
 * event engine (src/sim/timing/event) can block a producer on a full FIFO and a consumer on an
 * empty one. Additive to the plan: nothing else reads it yet. A test compares the depths with
 * the generated C++ (`STREAM depth=`).
 */
import type { Geometry } from './geometry.js';
import type { UnitId } from './types.js';

export interface StreamSpec {
  /** hls::stream name in the C++ (`"linear_x"`). */
  readonly name: string;
  readonly unit: UnitId;
  /** Declared depth (words). */
  readonly depth: number;
  /** Loops that write one word per iteration. */
  readonly producers: readonly string[];
  /** Loops that read it (a loop with more iterations than words reads a word every few iterations). */
  readonly consumers: readonly string[];
}

/**
 * m_axi adapter: `max_read_burst_length=64 max_write_burst_length=64` (top.hbs); outstanding
 * transactions are Vitis' defaults (`num_read_outstanding` / `num_write_outstanding` = 16, not set
 * by the templates). The adapter buffers outstanding × burst beats per channel.
 */
export const AXI = { maxBurstBeats: 64, readOutstanding: 16, writeOutstanding: 16 } as const;

/**
 * Order in which a process runs its top-level loops when it differs from the plan's loop order
 * (the order the loops are listed in units.ts): linear_read emits the routes of a scatter call
 * before the input rows (linear.hbs), and the writer reads a route before each output row, so
 * the other order would deadlock once linear_x is full. Loops not listed keep the plan's order.
 */
export const PROCESS_ORDER: Readonly<Record<string, readonly string[]>> = {
  'linear.read': ['linear.routes', 'linear.gather_rows', 'linear.read_x'],
};

/** Depth the templates give every row stream: the longest row moved (qkv output, hidden, patch). */
export function rowStreamDepth(g: Geometry): number {
  return Math.max(2, g.rowWords(3 * g.D), g.rowWords(g.hidden), Math.ceil(g.dims.patchK / g.lanes.pixel));
}

/** Streams of every dataflow unit (only those whose loops exist in the plan). */
export function dataflowStreams(g: Geometry): StreamSpec[] {
  const d = rowStreamDepth(g);
  const s: StreamSpec[] = [
    { name: 'embed_x', unit: 'patch-embed', depth: d, producers: ['embed.read'], consumers: ['embed.unpack'] },
    { name: 'embed_pos', unit: 'patch-embed', depth: d, producers: ['embed.read_pos'], consumers: ['embed.pack'] },
    { name: 'embed_y', unit: 'patch-embed', depth: d, producers: ['embed.pack'], consumers: ['embed.write'] },
    { name: 'linear_x', unit: 'linear', depth: d, producers: ['linear.read_x', 'linear.gather_x'], consumers: ['linear.unpack'] },
    { name: 'linear_y', unit: 'linear', depth: d, producers: ['linear.pack'], consumers: ['linear.write_y', 'linear.scatter_y'] },
    { name: 'ln_x', unit: 'layernorm', depth: d, producers: ['layernorm.read'], consumers: ['layernorm.stats'] },
    { name: 'ln_y', unit: 'layernorm', depth: d, producers: ['layernorm.normalise'], consumers: ['layernorm.write'] },
  ];
  // MoE: each queued row's token and probability go from the reader to the writer (depth TOKENS).
  if (g.experts > 0) s.push({ name: 'linear_route', unit: 'linear', depth: g.dims.tokens, producers: ['linear.routes'], consumers: ['linear.scatter_rows'] });
  return s;
}
