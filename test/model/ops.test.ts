/** MAC counts against hand arithmetic from the shapes in ../shared/m3vit/README.md. */
import { describe, expect, it } from 'vitest';
import { lowerModel, totalElementOps, totalMacs } from '../../src/model/ops.js';
import { presetModel } from '../../src/model/presets.js';

describe('lowerModel', () => {
  it('m3vit-tiny: hand count', () => {
    const ops = lowerModel(presetModel('m3vit-tiny'));
    const N = 129;
    // Patch embedding: 128 patches × (3·16·16 = 768) inputs × 192 outputs.
    const patch = 128 * 768 * 192; // 18,874,368
    // Attention sub-block, every block.
    const qkv = 129 * 192 * 576; // 14,266,368
    const scores = 3 * 129 * 129 * 64; // 3,195,072
    const av = 3 * 129 * 129 * 64;
    const proj = 129 * 192 * 192; // 4,755,456
    // Dense MLP (even blocks): 192→768→192.
    const mlp = 129 * 192 * 768 + 129 * 768 * 192; // 38,043,648
    // MoE (odd blocks): gate 192→16 for every token, then top-2 experts 192→384→192 per token.
    const moe = 129 * 192 * 16 + 129 * 2 * (192 * 384 + 384 * 192); // 396,288 + 38,043,648
    const expected = patch + 12 * (qkv + scores + av + proj) + 6 * mlp + 6 * moe;
    expect(expected).toBe(782_719_488);
    expect(totalMacs(ops)).toBe(expected);
    const get = (block: number, name: string) => ops.find((o) => o.block === block && o.name === name)!;
    expect(get(0, 'qkv').macs).toBe(qkv);
    expect(get(3, 'expert_fc1').macs).toBe(N * 2 * 192 * 384);
    expect(get(3, 'gate').macs).toBe(N * 192 * 16);
    expect(get(4, 'fc2').macs).toBe(N * 768 * 192);
    expect(ops.filter((o) => o.block === 1).map((o) => o.name)).toEqual([
      'ln1', 'qkv', 'attn_scores', 'attn_softmax', 'attn_av', 'proj', 'residual1', 'ln2',
      'gate', 'expert_fc1', 'expert_gelu', 'expert_fc2', 'expert_combine', 'residual2',
    ]);
    // Element ops of block 0 (dense): ln1, qkv bias, softmax exps, proj bias, residual, ln2,
    // fc1 bias, GELU, fc2 bias, residual.
    const e0 = N * 192 + N * 576 + 3 * N * N + N * 192 + N * 192 + N * 192 + N * 768 + N * 768 + N * 192 + N * 192;
    expect(totalElementOps(ops.filter((o) => o.block === 0))).toBe(e0);
  });

  it('counting every expert multiplies the expert MACs by E/k', () => {
    const m = presetModel('m3vit-tiny');
    const topk = lowerModel(m).find((o) => o.block === 1 && o.name === 'expert_fc2')!.macs;
    const all = lowerModel(m, { moeActiveExperts: 'all' }).find((o) => o.block === 1 && o.name === 'expert_fc2')!.macs;
    expect(all).toBe(topk * 8);
  });

  it('vit-b16: 17.56 GMAC with the 1000-class head on the class token (published ViT-B/16 figure ≈ 17.6 G)', () => {
    const N = 197, D = 768;
    const perBlock = N * D * 3 * D + 2 * 12 * N * N * 64 + N * D * D + 2 * N * D * 3072;
    const expected = 196 * 768 * D + 12 * perBlock + D * 1000;
    expect(totalMacs(lowerModel(presetModel('vit-b16')))).toBe(expected);
    expect(expected / 1e9).toBeCloseTo(17.564, 3);
  });
});
