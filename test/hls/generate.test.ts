/**
 * `vitforge generate` without a compiler: parameter layout, design → pragma mapping, rejection of
 * simulation-only designs, deterministic and atomic output, data files and golden, the CLI, and the
 * Tcl script run under tclsh with stand-ins for the Vitis commands.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UserError } from '../../src/errors.js';
import { generateProject, renderProject } from '../../src/hls/generate.js';
import { buildHlsContext, planForHls } from '../../src/hls/context.js';
import { paramLayout } from '../../src/hls/layout.js';
import { syntheticImage } from '../../src/model/image.js';
import { loadWeights, syntheticWeights, tensorSize, tensorSpecs } from '../../src/model/weights.js';
import { forwardFixed, quantizeWeights } from '../../src/sim/functional/index.js';
import { main } from '../../src/cli/main.js';
import type { DesignPoint } from '../../src/design/types.js';
import { reducedEdgeMoeDesign, tempDir, tinyDesign } from './helpers.js';
import { requireTool } from '../helpers/tools.js';

let dir: string;
/** The reduced Edge-MoE point (rendering and layout checks). */
let edge: DesignPoint;
/** A tiny point (D = 32) for everything that simulates and writes data. */
let design: DesignPoint;

beforeAll(() => {
  dir = tempDir('hls-gen');
  edge = reducedEdgeMoeDesign(dir);
  design = tinyDesign(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const opts = (d: DesignPoint, outDir: string, seed = 3) => ({
  design: d, weights: syntheticWeights(d.model, seed), image: syntheticImage(d.model, seed), outDir,
});

function listFiles(root: string, rel = ''): string[] {
  return readdirSync(join(root, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(root, join(rel, e.name)) : [join(rel, e.name)]).sort();
}

describe('parameter layout', () => {
  it('packs every tensor the kernel reads once, back to back per port, in whole words', () => {
    const g = planForHls(edge).geometry;
    const layout = paramLayout(edge, g);
    const specs = new Map(tensorSpecs(edge.model).map((s) => [s.name, tensorSize(s.shape)]));
    // Every tensor except the gates of other tasks (the task is fixed at generation).
    const expected = [...specs.keys()].filter((n) => !/_w_gate_T_task(?!0$)/.test(n)).sort();
    expect(layout.slots.map((s) => s.tensor).sort()).toEqual(expected);
    for (const port of ['patch_w', 'lin_w', 'attn_b', 'ffn_b', 'norm_p', 'pos'] as const) {
      const slots = layout.slots.filter((s) => s.port === port).sort((a, b) => a.offset - b.offset);
      let next = 0;
      for (const s of slots) {
        expect(s.offset).toBe(next);
        expect(s.values).toBe(specs.get(s.tensor));
        next += s.count * s.stride;
      }
      expect(layout.sizes[port]).toBe(Math.max(1, next));
    }
    // Hand-computed strides of the reduced Edge-MoE point (D = 192, 16x16 tiles, 256-bit words:
    // 16 weights of 16 bits and 8 features of 32 bits per word).
    const slot = (name: string) => layout.slots.find((s) => s.tensor === name)!;
    expect(slot('l0_qkv_weight').stride).toBe(12 * 36 * 16); // 12 input tiles x 36 output tiles x 16 words
    expect(slot('l0_qkv_bias').stride).toBe(576 / 16);
    expect(slot('pos_embed').stride).toBe(edge.model.classToken === 'none' ? 0 : (planForHls(edge).geometry.dims.tokens * 192) / 8);
    const at = (name: string): number => slot(name).offset;
    const [b0, b1] = layout.blocks;
    expect(b0).toMatchObject({ moe: false, qkv_w: at('l0_qkv_weight'), ffn2_b: at('l0_fc2_bias'), gate_w: -1 });
    expect(b1).toMatchObject({ moe: true, gate_w: at('l1_w_gate_T_task0'), ffn1_w: at('l1_htoh4_weight'), norm2_g: at('l1_norm2_weight') });
  });
});

describe('design checks', () => {
  it('rejects simulation-only approximation switches with a UserError naming the field', () => {
    for (const [k, v] of [['exp', 'exact'], ['recip', 'exact'], ['rsqrt', 'exact'], ['gelu', 'exact']] as const) {
      const d = reducedEdgeMoeDesign(dir, { approx: { [k]: v } });
      let err: unknown;
      try {
        buildHlsContext(d, { csimInclude: '', csimHeaders: false, weightsNote: '', version: '' });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).field).toBe(`approx.${k}`);
    }
  });

  it('rejects types whose intermediates exceed 128 bits', () => {
    // lnStat 64 bits: mean * mean has 128 bits and mean_sq - mean * mean 129.
    const d = reducedEdgeMoeDesign(dir, { types: { lnStat: 'ap_fixed<64,32>' } });
    expect(() => buildHlsContext(d, { csimInclude: '', csimHeaders: false, weightsNote: '', version: '' }))
      .toThrow(/mean_sq - mean \* mean needs 129 bits/);
  });
});

describe('generated project', () => {
  it('maps the design parameters to pragmas, constants, ports and the Tcl clock/part', () => {
    const d = reducedEdgeMoeDesign(dir, {
      linear: { tileIn: 8, tileOut: 4 }, attention: { parallel: 3, dotTile: 16 }, axiBits: 128, clockMHz: 250,
      buffers: { weights: 'single' },
    });
    const { files } = renderProject(opts(d, join(dir, 'unused')), new Float64Array(9 * 192));
    const h = files.get('src/vitforge_kernel.h') as string;
    const cpp = files.get('src/vitforge_kernel.cpp') as string;
    const tcl = files.get('run_hls.tcl') as string;
    expect(h).toMatch(/const int TILE_IN = 8;/);
    expect(h).toMatch(/const int TILE_OUT = 4;/);
    expect(h).toMatch(/const int ATTN_PARALLEL = 3;/);
    expect(h).toMatch(/const int DOT_TILE = 16;/);
    expect(h).toMatch(/typedef ap_fixed<32, 10> fm_t;/);
    expect(h).toMatch(/typedef ap_fixed<48, 24> lnstat_t;/);
    // 128-bit words: 4 features; the row buffers have lcm(tile, 4) banks, K/V/Q lcm(dotTile, 4).
    expect(h).toMatch(/const int FM_LANES = 4;/);
    expect(h).toMatch(/const int X_PART = 8;/);
    expect(h).toMatch(/const int Y_PART = 4;/);
    expect(h).toMatch(/const int KV_PART = 16;/);
    expect(cpp).toMatch(/ARRAY_PARTITION variable=x_buf cyclic factor=X_PART dim=1/);
    expect(cpp).toMatch(/ARRAY_PARTITION variable=k_buf cyclic factor=KV_PART dim=2/);
    expect(cpp).not.toMatch(/w_ping/); // single weight buffer: no ping-pong pair
    expect(cpp).toMatch(/static lw_word_t w_buf\[W_TILE_WORDS\]\[W_DEPTH\];/);
    const axi = cpp.match(/INTERFACE m_axi .*/g)!;
    expect(axi).toHaveLength(10);
    expect(cpp).toMatch(/port=lin_w offset=slave bundle=gmem_w depth=\d+/);
    expect(new Set(axi.map((l) => /bundle=(\w+)/.exec(l)![1]))).toEqual(new Set(['gmem_w', 'gmem_p', 'gmem_a', 'gmem_b', 'gmem_c']));
    expect(tcl).toMatch(/^set_part xczu9eg-ffvb1156-2-e$/m);
    expect(tcl).toMatch(/^create_clock -period 4.0 -name default$/m);
    expect(tcl).toMatch(/^set_top vitforge_kernel$/m);
    expect(tcl).toMatch(/^config_interface .*-m_axi_max_widen_bitwidth 128$/m); // axiBits

    const pp = renderProject(opts(reducedEdgeMoeDesign(dir), join(dir, 'unused')), new Float64Array(9 * 192)).files;
    expect(pp.get('src/vitforge_kernel.cpp') as string).toMatch(/static lw_word_t w_ping\[W_TILE_WORDS\]\[W_DEPTH\], w_pong/);
    expect(pp.get('run_hls.tcl') as string).toMatch(/^create_clock -period 3.333 -name default$/m);
  });

  it('writes byte-identical files for the same design, weights and image', () => {
    const a = generateProject(opts(design, join(dir, 'det-a')));
    const b = generateProject(opts(design, join(dir, 'det-b')));
    expect(listFiles(a.outDir)).toEqual(listFiles(b.outDir));
    for (const f of listFiles(a.outDir)) expect(readFileSync(join(a.outDir, f)).equals(readFileSync(join(b.outDir, f))), f).toBe(true);
  });

  it('writes synthetic tensors and the image into data/, and the golden as int64 raws of forwardFixed', () => {
    const o = opts(design, join(dir, 'data-check'));
    const r = generateProject(o);
    const manifest = readFileSync(join(r.outDir, 'data/tensors.txt'), 'utf8').trim().split('\n').map((l) => l.split(' '));
    expect(manifest).toHaveLength(paramLayout(design, planForHls(design).geometry).slots.length + 1);
    for (const [name, path] of manifest) {
      expect(path).toBe(`data/${name}.float32.bin`);
      const bytes = readFileSync(join(r.outDir, path!));
      const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      const want = name === 'image' ? o.image : o.weights.get(name!).data;
      expect(Buffer.from(values.buffer, values.byteOffset, values.byteLength).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength))).toBe(true);
    }
    const golden = readFileSync(join(r.outDir, 'data/golden_out.i64.bin'));
    const expected = forwardFixed(design, quantizeWeights(design, o.weights), o.image).outputRaw;
    expect(golden.length).toBe(expected.length * 8);
    for (let i = 0; i < expected.length; i++) expect(Number(golden.readBigInt64LE(8 * i))).toBe(expected[i]);
  });

  it('references tensors loaded from weight folders instead of copying them', () => {
    const wdir = join(dir, 'weights');
    mkdirSync(wdir, { recursive: true });
    const synth = syntheticWeights(design.model, 5);
    // A folder with everything except the expert matrices, which --fill-missing supplies.
    for (const [name, t] of synth.tensors) {
      if (!/_(htoh4|h4toh)_weight$/.test(name)) writeFileSync(join(wdir, `${name}.float32.bin`), t.data);
    }
    const weights = loadWeights(design.model, { dirs: [wdir], fillMissing: true, seed: 5 });
    const r = generateProject({ design, weights, image: syntheticImage(design.model, 5), outDir: join(dir, 'ref') });
    const lines = readFileSync(join(r.outDir, 'data/tensors.txt'), 'utf8').trim().split('\n');
    expect(lines).toContain(`l0_qkv_weight ${join(wdir, 'l0_qkv_weight.float32.bin')}`);
    expect(lines).toContain('l1_htoh4_weight data/l1_htoh4_weight.float32.bin');
    expect([...r.writtenTensors].sort()).toEqual(['l1_h4toh_weight', 'l1_htoh4_weight']);
    expect(existsSync(join(r.outDir, 'data/l0_qkv_weight.float32.bin'))).toBe(false);
  });

  it('is atomic: a failed generation leaves nothing, a regeneration replaces the project', () => {
    const out = join(dir, 'atomic');
    const bad = tinyDesign(dir, { approx: { exp: 'exact' } });
    expect(() => generateProject(opts(bad, out))).toThrow(UserError);
    expect(existsSync(out)).toBe(false);

    // The write itself fails (the parent is a file): no output and no temporary sibling remain.
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'not a folder');
    expect(() => generateProject(opts(design, join(blocker, 'p')))).toThrow();
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);

    generateProject(opts(design, out, 1));
    const first = readFileSync(join(out, 'data/golden_out.i64.bin'));
    writeFileSync(join(out, 'stale.txt'), 'left over');
    generateProject(opts(design, out, 2));
    expect(existsSync(join(out, 'stale.txt'))).toBe(false);
    expect(readFileSync(join(out, 'data/golden_out.i64.bin')).equals(first)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-') || f.includes('.old-'))).toEqual([]);

    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    expect(() => generateProject(opts(design, foreign))).toThrow(/not a vitforge HLS project/);
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('copies the C-simulation headers with csimHeaders, else points the Makefile at them', () => {
    const withH = renderProject({ ...opts(design, ''), csimHeaders: true }, new Float64Array(9 * 32)).files;
    expect(withH.has('csim/include/ap_fixed.h')).toBe(true);
    expect(withH.get('Makefile') as string).toMatch(/^CSIM_INCLUDE \?= csim\/include$/m);
    const without = renderProject(opts(design, ''), new Float64Array(9 * 32)).files;
    expect([...without.keys()].some((f) => f.startsWith('csim/'))).toBe(false);
    expect(without.get('Makefile') as string).toMatch(/^CSIM_INCLUDE \?= \/.*templates\/hls\/csim\/include$/m);
  });
});

describe('CLI', () => {
  it('generate writes a project; mistakes are one-line errors with exit 1', async () => {
    const out = join(dir, 'cli-out');
    writeFileSync(join(dir, 'design.yaml'), 'name: cli-point\nmodel: tiny-fixed.yaml\nlinear: { tileIn: 8, tileOut: 8 }\n');
    const logs: string[] = [];
    const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (logs.push(String(s)), true));
    const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (logs.push(String(s)), true));
    try {
      expect(await main(['generate', '--design', join(dir, 'design.yaml'), '--out', out, '--seed', '4'])).toBe(0);
      expect(existsSync(join(out, 'src/vitforge_kernel.cpp'))).toBe(true);
      logs.length = 0;
      writeFileSync(join(dir, 'exact.yaml'), 'model: tiny-fixed.yaml\nlinear: { tileIn: 8, tileOut: 8 }\napprox: { rsqrt: exact }\n');
      expect(await main(['generate', '--design', join(dir, 'exact.yaml'), '--out', join(dir, 'cli-bad')])).toBe(1);
      const err = logs.join('');
      expect(err).toMatch(/^vitforge: error: approx.rsqrt: .*\n$/m);
      expect(err).not.toMatch(/at .*\.ts/); // no stack
      expect(existsSync(join(dir, 'cli-bad'))).toBe(false);
      logs.length = 0;
      expect(await main(['csim', join(dir, 'no-such-project')])).toBe(1);
      expect(logs.join('')).toMatch(/vitforge: error: project: .* is not a project written by vitforge generate/);
    } finally {
      so.mockRestore();
      se.mockRestore();
    }
  });
});

describe('run_hls.tcl', () => {
  const tclsh = requireTool('tclsh');

  it.skipIf(!tclsh)('runs under tclsh with the Vitis commands stubbed, in flow order', () => {
    const { files } = renderProject(opts(design, ''), new Float64Array(9 * 32));
    const p = join(dir, 'tcl');
    mkdirSync(p, { recursive: true });
    writeFileSync(join(p, 'run_hls.tcl'), files.get('run_hls.tcl') as string);
    const stubs = ['open_project', 'set_top', 'add_files', 'open_solution', 'set_part', 'create_clock', 'set_clock_uncertainty',
      'config_interface', 'csim_design', 'csynth_design', 'cosim_design', 'export_design'].map((c) => `proc ${c} {args} { puts "${c} $args" }`).join('\n');
    const runLines = (argv: string, env: Record<string, string> = {}): string[] => {
      const script = `${stubs}\nproc exit {} {}\nset argv {${argv}}\nsource ${join(p, 'run_hls.tcl')}\n`;
      const clean = { ...process.env };
      delete clean.VITFORGE_COSIM;
      delete clean.VITFORGE_EXPORT;
      const r = spawnSync('tclsh', [], { input: script, encoding: 'utf8', env: { ...clean, ...env } });
      expect(r.stderr).toBe('');
      return r.stdout.trim().split('\n');
    };
    const run = (argv: string, env: Record<string, string> = {}): string[] => runLines(argv, env).map((l) => l.split(' ')[0]!);
    // Default: C-simulation and synthesis; co-simulation and export only on request.
    expect(run('')).toEqual(['open_project', 'set_top', 'add_files', 'add_files', 'open_solution', 'set_part',
      'create_clock', 'set_clock_uncertainty', 'config_interface', 'csim_design', 'csynth_design']);
    expect(run('csim').slice(-1)).toEqual(['csim_design']);
    expect(run('csynth').slice(-2)).toEqual(['config_interface', 'csynth_design']);
    expect(run('', { VITFORGE_COSIM: '1' }).slice(-3)).toEqual(['csim_design', 'csynth_design', 'cosim_design']);
    expect(run('', { VITFORGE_COSIM: '0' }).slice(-1)).toEqual(['csynth_design']);
    expect(run('cosim').slice(-2)).toEqual(['csynth_design', 'cosim_design']); // cosim needs a synthesised solution
    expect(run('export', { VITFORGE_COSIM: '1' }).slice(-3)).toEqual(['csynth_design', 'cosim_design', 'export_design']);
    expect(run('', { VITFORGE_EXPORT: '1' }).slice(-2)).toEqual(['csynth_design', 'export_design']);
    const lines = runLines('csynth');
    expect(lines).toContain('set_clock_uncertainty 12.5%');
    expect(lines).toContain('config_interface -m_axi_latency 64 -m_axi_alignment_byte_size 64 -m_axi_max_widen_bitwidth 256');
  });
});
