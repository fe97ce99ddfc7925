/**
 * MoE routing for the timing model: how many tokens each expert's queue holds in each MoE block.
 * Priority: routing statistics from the functional simulator; else the design's assumption
 * (`histogram` for every MoE block, or `uniform`; `simulate` without statistics falls back to
 * uniform and says so in `routingSource`).
 */
import { UserError } from '../../errors.js';
import type { DesignPoint } from '../../design/types.js';
import { modelDims } from '../../model/ir.js';
import { readStructuredFile } from '../../model/file.js';
import type { BlockRouting, RoutingStats } from './report.js';

export { uniformCounts } from '../../plan/queues.js';
import { uniformCounts } from '../../plan/queues.js';

export interface ResolvedRouting {
  readonly source: string;
  /** Expert queue lengths of MoE block `block` (empty for dense blocks). */
  readonly counts: (block: number) => readonly number[];
}

export function resolveRouting(design: DesignPoint, stats?: RoutingStats): ResolvedRouting {
  const m = design.model;
  const tokens = modelDims(m).tokens;
  const assumption = design.moe.routing;
  const byBlock = new Map<number, readonly number[]>();
  for (const b of stats?.blocks ?? []) byBlock.set(b.block, b.counts);
  const counts = (block: number): readonly number[] => {
    const spec = m.blocks[block];
    if (!spec || spec.kind !== 'moe') return [];
    const given = byBlock.get(block);
    if (given) return given;
    if (assumption.kind === 'histogram') return assumption.counts;
    return uniformCounts(tokens, spec.experts, spec.topK);
  };
  let source: string;
  if (stats) source = stats.source;
  else if (assumption.kind === 'histogram') source = 'histogram (design file)';
  else if (assumption.kind === 'simulate') source = 'uniform (assumed: no simulator routing given)';
  else source = 'uniform (design file)';
  return { source, counts };
}

/**
 * Validate routing statistics against a design: every block index must be an MoE block, each
 * count list has one non-negative integer per expert and sums to tokens × topK.
 * `where` prefixes error fields (e.g. the routing file name).
 */
export function validateRouting(raw: unknown, design: DesignPoint, where = 'routing'): RoutingStats {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new UserError(where, 'must be an object { source, blocks: [...] }');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'source' && k !== 'blocks') throw new UserError(`${where}.${k}`, 'unknown field', 'source, blocks');
  const source = o.source === undefined ? 'routing file' : String(o.source);
  if (!Array.isArray(o.blocks)) throw new UserError(`${where}.blocks`, 'must be a list of { block, counts }');
  const m = design.model;
  const tokens = modelDims(m).tokens;
  const moeBlocks = m.blocks.map((b, i) => (b.kind === 'moe' ? i : -1)).filter((i) => i >= 0);
  const seen = new Set<number>();
  const blocks: BlockRouting[] = o.blocks.map((entry: unknown, i: number) => {
    const f = `${where}.blocks[${i}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new UserError(f, 'must be { block, counts }');
    const e = entry as Record<string, unknown>;
    const block = e.block;
    if (typeof block !== 'number' || !Number.isInteger(block) || !moeBlocks.includes(block)) {
      throw new UserError(`${f}.block`, `${JSON.stringify(block)} is not an MoE block of ${m.name}`, moeBlocks.join(', ') || 'none');
    }
    if (seen.has(block)) throw new UserError(`${f}.block`, `block ${block} is listed twice`);
    seen.add(block);
    const spec = m.blocks[block]!;
    const E = spec.kind === 'moe' ? spec.experts : 0;
    const k = spec.kind === 'moe' ? spec.topK : 0;
    const counts = e.counts;
    if (!Array.isArray(counts) || counts.length !== E || !counts.every((x) => Number.isInteger(x) && x >= 0)) {
      throw new UserError(`${f}.counts`, `must list ${E} non-negative integer token counts, one per expert`);
    }
    const sum = (counts as number[]).reduce((a, x) => a + x, 0);
    if (sum !== tokens * k) throw new UserError(`${f}.counts`, `counts sum to ${sum}, expected tokens × topK = ${tokens * k}`);
    return { block, counts: counts as number[] };
  });
  return { source, blocks };
}

/** Read and validate a routing JSON/YAML file (`vitforge simulate --routing FILE`). */
export function loadRoutingFile(path: string, design: DesignPoint): RoutingStats {
  return validateRouting(readStructuredFile(path, 'routing'), design, path);
}
