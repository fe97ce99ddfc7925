/** MoE queue lengths when no routing is known: tokens × top-k spread evenly over the experts. */
import type { DesignPoint } from '../design/types.js';
import { modelDims } from '../model/ir.js';

const UNIFORM = new Map<string, readonly number[]>();

/** Tokens per expert when tokens·k selections are spread as evenly as integers allow (lower indices get the remainder). */
export function uniformCounts(tokens: number, experts: number, topK: number): readonly number[] {
  const key = `${tokens}:${experts}:${topK}`;
  let u = UNIFORM.get(key);
  if (!u) {
    const total = tokens * topK;
    const base = Math.floor(total / experts);
    const rem = total - base * experts;
    u = Object.freeze(Array.from({ length: experts }, (_, e) => base + (e < rem ? 1 : 0)));
    UNIFORM.set(key, u);
  }
  return u;
}

export function uniformQueueLengths(d: DesignPoint): (block: number) => readonly number[] {
  const tokens = modelDims(d.model).tokens;
  return (l) => {
    const b = d.model.blocks[l];
    return b && b.kind === 'moe' ? uniformCounts(tokens, b.experts, b.topK) : [];
  };
}
