/**
 * One colour per pipeline stage, the same in every chart (latency bars, timeline, anything that
 * shows stages): a reader who learnt "qkv is orange" in one chart must not find it red in the next.
 * Colours are assigned by the stage's name, never by its position in one chart's data, so a chart
 * that shows only some stages (one block's timeline) still agrees with one that shows all.
 */
import { PALETTE } from './frame.js';

/** The stages of the Edge-MoE-style block, in pipeline order, each with its own palette slot. */
export const KNOWN_STAGES = [
  'patch_embed', 'ln1', 'qkv', 'qk_softmax', 'attn_v', 'proj', 'residual1',
  'ln2', 'fc1', 'fc2', 'residual2', 'gate', 'experts',
] as const;

/** FNV-1a, so a stage the list does not know yet gets a colour that depends only on its name. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Colour of a stage: its fixed slot when known, else a slot after the known ones chosen by name. */
export function stageColor(stage: string): string {
  const k = (KNOWN_STAGES as readonly string[]).indexOf(stage);
  if (k >= 0) return PALETTE[k]!;
  const spare = PALETTE.length - KNOWN_STAGES.length;
  return PALETTE[KNOWN_STAGES.length + (hash(stage) % spare)]!;
}
