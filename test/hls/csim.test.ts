/**
 * Bit-exactness of the generated HLS C++ against vitforge's TypeScript fixed-point simulator:
 * generate a project, compile it with g++ (warnings are errors) against vitforge's C-simulation
 * headers and run its testbench, which compares every output raw with the golden that
 * forwardFixed computed. The C++ (templates) and the simulator (src/sim/functional) are two
 * independent implementations of docs/datapath.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { generateProject } from '../../src/hls/generate.js';
import { checkStructure, type StructureResult } from '../../src/hls/structure.js';
import { syntheticImage } from '../../src/model/image.js';
import { syntheticWeights } from '../../src/model/weights.js';
import { expectStructure, haveToolchain, randomDesign, randomPointArb, reducedEdgeMoeDesign, tempDir } from './helpers.js';

const toolchain = haveToolchain();
const tempDirs: string[] = [];
const scratch = (prefix: string): string => {
  const d = tempDir(prefix);
  tempDirs.push(d);
  return d;
};
afterAll(() => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));


describe.skipIf(!toolchain)('C-simulation equals the fixed-point simulator bit for bit', () => {
  it('Edge-MoE design point on the reduced M3ViT (dense + MoE block, D = 192, 16 experts)', async () => {
    const dir = scratch('hls-edge');
    const design = reducedEdgeMoeDesign(dir);
    const r = generateProject({
      design, weights: syntheticWeights(design.model, 11), image: syntheticImage(design.model, 11),
      outDir: join(dir, 'edge-moe'), csimHeaders: true,
    });
    // Through the CLI: `vitforge csim --werror` exits 0 only for a warning-free build and a bit-exact run.
    const out: string[] = [];
    const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true));
    let code: number;
    try {
      code = await main(['csim', r.outDir, '--werror']);
    } finally {
      so.mockRestore();
      se.mockRestore();
    }
    expect(code, out.join('')).toBe(0);
    expect(out.join('')).toContain(`PASS: all ${9 * 192} output values (9 tokens x 192 features) are bit-exact`);
    // ... and its structure check: one function per unit, the plan's loop counts and multipliers.
    expect(out.join('')).toMatch(/units in the kernel object: patch_embed×1 linear_unit×1 attention_unit×1 layer_norm×1 residual_add×1 moe_route×1/);
    expect(out.join('')).toMatch(/loops: (\d+)\/\1 labelled loops ran the plan's iterations and entries/);
    expect(out.join('')).toMatch(/^\s+PASS \(/m);

    // The testbench really compares: one golden raw off by one is reported where it is.
    const D = design.model.dim;
    const at = 3 * D + 17;
    const goldenPath = join(r.outDir, 'data/golden_out.i64.bin');
    const golden = readFileSync(goldenPath);
    const want = golden.readBigInt64LE(8 * at);
    golden.writeBigInt64LE(want + 1n, 8 * at);
    writeFileSync(goldenPath, golden);
    const rerun = spawnSync(join(r.outDir, 'build/vitforge_tb'), [r.outDir], { encoding: 'utf8' });
    expect(rerun.status).toBe(1);
    expect(rerun.stdout).toMatch(new RegExp(`FIRST MISMATCH at token 3, feature 17: expected raw ${want + 1n} \\(.*\\), got raw ${want} `));
    expect(rerun.stdout).toContain(`FAIL: 1 of ${r.goldenRaw.length} output values differ`);
  });

  it('20 random design points (types, modes, tiles, parallelism, dense/MoE, class tokens): bit-exact, and the structure of the plan', async () => {
    const root = scratch('hls-random');
    const points = fc.sample(randomPointArb, { seed: 20240607, numRuns: 20 });
    const jobs = points.map((p, i) => {
      const dir = join(root, `p${i}`);
      mkdirSync(dir);
      const design = randomDesign(p, dir);
      const seed = 100 + i;
      const r = generateProject({
        design, weights: syntheticWeights(design.model, seed), image: syntheticImage(design.model, seed), outDir: join(dir, 'hls'),
      });
      return { design, out: r.outDir, label: `point ${i}: ${JSON.stringify({ model: p.model, design: p.design, linear: design.linear, attention: design.attention })}` };
    });
    // Two compilers at a time (CI has two cores); -O1 keeps compile time down. The structure check
    // builds the instrumented testbench (which also compares every output bit for bit) and the
    // kernel alone (-Werror both), so one pair of compiles proves bits and structure.
    const results: StructureResult[] = new Array(jobs.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await checkStructure(jobs[i]!.out, { opt: '-O1', extraFlags: '-Werror' });
      }
    };
    await Promise.all([worker(), worker()]);
    jobs.forEach((j, i) => expectStructure(results[i]!, j.label));
  }, 300_000);
});


