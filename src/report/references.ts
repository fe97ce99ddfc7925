/**
 * Published accelerators used as reference marks. They ran ONE network on ONE board, so a report
 * shows them (stars in the Pareto chart, "vs Edge-MoE" rows) only for that network on that part:
 * a latency ratio of ViT-B on a U250 to Edge-MoE's M3ViT-tiny on a ZCU102 means nothing.
 */
import type { ModelSpec } from '../model/ir.js';
import { presetModel } from '../model/presets.js';

export interface Anchor {
  readonly label: string;
  readonly latencyMs: number;
  /** Undefined when the source gives no power figure: drawn as a vertical line only. */
  readonly energyMJ?: number;
  readonly note: string;
}

/**
 * Published MoE-ViT accelerators on ZCU102 for M3ViT-tiny. Edge-MoE (ICCAD 2023): 34.64 ms at
 * 14.54 W → 503.7 mJ. UbiMoE (2025): 25.76 ms; its energy is derived from its stated 1.75× energy
 * efficiency over Edge-MoE at equal work per image: 503.7 / 1.75 ≈ 287.8 mJ.
 */
export const LITERATURE_ANCHORS: readonly Anchor[] = [
  { label: 'Edge-MoE', latencyMs: 34.64, energyMJ: 14.54 * 34.64, note: 'ICCAD 2023, ZCU102, 300 MHz, 14.54 W' },
  { label: 'UbiMoE', latencyMs: 25.76, energyMJ: (14.54 * 34.64) / 1.75, note: 'ZCU102; energy derived from 1.75× Edge-MoE efficiency' },
];

/** The network and part the anchors were measured on. */
export const ANCHOR_MODEL = 'm3vit-tiny';
export const ANCHOR_PART = 'zcu102';

/**
 * The anchors that apply to `model` on `partId`: all of them when the network is M3ViT-tiny (by
 * structure, so a renamed copy in a model file counts) and the part is the ZCU102; else none.
 */
export function anchorsFor(model: ModelSpec, partId: string): readonly Anchor[] {
  if (partId !== ANCHOR_PART) return [];
  const strip = (m: ModelSpec): string => JSON.stringify({ ...m, name: '' });
  return strip(model) === strip(presetModel(ANCHOR_MODEL)) ? LITERATURE_ANCHORS : [];
}
