/**
 * The full-size M3ViT-tiny project of the Edge-MoE design point (`npm run check:csim-full`):
 * generated, compiled with g++ -Werror and C-simulated, its 129 × 192 outputs must equal the
 * TypeScript fixed-point simulator bit for bit. Uses the real weights and image of ../shared when
 * present, otherwise seeded synthetic ones. A few seconds, so it runs in every `npm test`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCsimFull } from '../../src/hls/check-full.js';
import { haveToolchain, tempDir } from './helpers.js';

const dir = tempDir('csim-full');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('full-size C-simulation', () => {
  it.skipIf(!haveToolchain())('m3vit-tiny on the Edge-MoE design point is bit-exact', async () => {
    expect(await checkCsimFull(join(dir, 'm3vit-tiny-full'))).toBe(true);
  });
});
