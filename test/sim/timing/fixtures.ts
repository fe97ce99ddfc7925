/** Small synthetic designs and parts for the timing-model tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { designFromObject } from '../../../src/design/load.js';
import type { DesignPoint } from '../../../src/design/types.js';

const dir = mkdtempSync(join(tmpdir(), 'vitforge-timing-'));

/** A custom ZynqMP-like part with chosen memory figures, written to a temp YAML file; returns its path. */
export function partFile(name: string, memory: Partial<Record<string, unknown>> = {}, extra: Record<string, unknown> = {}): string {
  const part = {
    id: name, board: `test-${name}`, device: 'xczu9eg-ffvb1156-2-e',
    lut: 274_080, ff: 548_160, dsp: 2_520, bram36: 912, uram: 0, clockMHz: { min: 50, max: 400 },
    memory: {
      kind: 'DDR4', channels: 1, peakGBps: 1000, practicalGBps: 1000, ports: 8, portBits: 256, portMaxMHz: 1000,
      portEfficiency: 1, latencyNs: 0, pJPerByte: 100, backgroundW: 0.5, ...memory,
    },
    staticW: 1, hostW: 2, ...extra,
  };
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, stringify(part));
  return path;
}

/** A tiny ViT model file (dim 32, 2 heads, 2 blocks: dense then MoE), returns its path. */
export function tinyModelFile(): string {
  const path = join(dir, 'tiny.yaml');
  writeFileSync(path, stringify({
    name: 'tiny', image: { height: 32, width: 64, channels: 3 }, patchSize: 16, classToken: 'pos-embed',
    dim: 32, depth: 2, heads: 2, mlpHidden: 64, moe: { experts: 4, topK: 2, hidden: 32, tasks: 1, layers: [1] },
  }));
  return path;
}

export function design(over: Record<string, unknown> = {}): DesignPoint {
  return designFromObject({ ...over });
}
