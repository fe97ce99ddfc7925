/**
 * The worker-thread pool through the built CLI: the same seed and budget give byte-identical
 * points.csv with 2 workers and in-process (--jobs 1). Workers run compiled JavaScript, so this
 * test builds dist/ first when it is missing or older than the DSE sources.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/model/shared.js';
import { requireTool } from '../helpers/tools.js';

const root = projectRoot();
const tmp = mkdtempSync(join(tmpdir(), 'vf-dse-workers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function newestSource(): number {
  const dirs = [join(root, 'src', 'dse'), join(root, 'src', 'sim', 'timing'), join(root, 'src', 'hw')];
  return Math.max(...dirs.flatMap((d) => readdirSync(d).map((f) => statSync(join(d, f)).mtimeMs)));
}

beforeAll(() => {
  const worker = join(root, 'dist', 'src', 'dse', 'worker.js');
  if (!existsSync(worker) || statSync(worker).mtimeMs < newestSource()) {
    // Emits even if an unrelated file has type errors; the CLI run below is what is checked.
    spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
  }
});

function cli(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'vitforge.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('dse worker pool (built CLI)', () => {
  it('2 workers and in-process give identical points.csv and pareto.csv', () => {
    const common = ['dse', '--strategy', 'nsga2', '--budget', '300', '--population', '50', '--seed', '11',
      '--constraints', 'dsp <= 0.8 * part.dsp', '--no-report'];
    const a = cli([...common, '--jobs', '2', '--out', join(tmp, 'a')]);
    expect(a.err).toBe('');
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/2 worker threads/);
    const b = cli([...common, '--jobs', '1', '--out', join(tmp, 'b')]);
    expect(b.code).toBe(0);
    expect(b.out).toMatch(/in-process/);
    for (const f of ['points.csv', 'pareto.csv', 'points.jsonl', 'best-latency.yaml']) {
      expect(readFileSync(join(tmp, 'a', f), 'utf8'), f).toBe(readFileSync(join(tmp, 'b', f), 'utf8'));
    }
    expect(readFileSync(join(tmp, 'a', 'points.csv'), 'utf8').trim().split('\n')).toHaveLength(301);
    // The best design is a design file the other commands accept.
    const rep = cli(['report', '--design', join(tmp, 'a', 'best-latency.yaml'), '--out', join(tmp, 'rep')]);
    expect(rep.code).toBe(0);
    expect(existsSync(join(tmp, 'rep', 'index.html'))).toBe(true);
  });

  it('Ctrl-C keeps every finished point (exit 130) and --resume completes the same run', async () => {
    const out = join(tmp, 'int');
    const args = ['dse', '--strategy', 'random', '--seed', '4', '--jobs', '2', '--no-report', '--out', out];
    const child = spawn(process.execPath, [join(root, 'bin', 'vitforge.js'), ...args, '--budget', '40000'], { cwd: root, env: { ...process.env, CI: '1' } });
    let stdout = '';
    child.stdout.on('data', (d) => { stdout += String(d); });
    // Interrupt once points are being written (the SIGINT handler is installed by then).
    const started = (): boolean => readdirSync(tmp).some((f) => f.startsWith('.int.tmp-') &&
      existsSync(join(tmp, f, 'points.jsonl')) && statSync(join(tmp, f, 'points.jsonl')).size > 0);
    for (let t = 0; t < 200 && !started(); t++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(130);
    expect(stdout).toMatch(/INTERRUPTED after \d+ points/);
    expect(stdout).toContain(`continue with: vitforge dse --resume ${out}`);
    const kept = readFileSync(join(out, 'points.csv'), 'utf8').trim().split('\n').length - 1;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(40000);
    // Resume to a smaller total than asked first: the same first 3000 points as a fresh run.
    const res = cli(['dse', '--resume', out, '--budget', '3000']);
    expect(res.code).toBe(0);
    const fresh = cli([...args.slice(0, -1), join(tmp, 'int-fresh'), '--budget', '3000']);
    expect(fresh.code).toBe(0);
    expect(readFileSync(join(out, 'points.csv'), 'utf8')).toBe(readFileSync(join(tmp, 'int-fresh', 'points.csv'), 'utf8'));
  });

  // The found design goes through the HLS flow: its parameters on a reduced model (2 blocks,
  // 64×64 image = 17 tokens, m3vit-tiny widths, so every tile size of the space still divides).
  it.skipIf(!requireTool('g++', 'make'))('the best-latency design generates and passes csim on a reduced model', async () => {
    const { generateProject } = await import('../../src/hls/generate.js');
    const { runCsim } = await import('../../src/hls/csim.js');
    const { loadDesign, designFromObject, designToObject } = await import('../../src/design/load.js');
    const { syntheticWeights } = await import('../../src/model/weights.js');
    const { syntheticImage } = await import('../../src/model/image.js');
    const model = join(tmp, 'reduced.yaml');
    writeFileSync(model, REDUCED);
    const best = loadDesign(join(tmp, 'a', 'best-latency.yaml'));
    const design = designFromObject({ ...designToObject(best), model, name: 'dse-best-latency-reduced' });
    const out = join(tmp, 'hls');
    generateProject({ design, weights: syntheticWeights(design.model, 0), image: syntheticImage(design.model, 0), outDir: out, csimHeaders: true });
    const r = await runCsim(out);
    expect(r.built).toBe(true);
    expect(r.passed).toBe(true);
    // The found design is the plan's hardware too: units, loop counts, multipliers.
    const { checkStructure } = await import('../../src/hls/structure.js');
    const { expectStructure } = await import('../hls/helpers.js');
    expectStructure(await checkStructure(out, { opt: '-O1' }), 'best-latency design');
  });
});

const REDUCED = `name: m3vit-tiny-reduced
image: { height: 64, width: 64, channels: 3 }
patchSize: 16
classToken: pos-embed
dim: 192
depth: 2
heads: 3
mlpHidden: 768
moe: { experts: 16, topK: 2, hidden: 384, tasks: 2, layers: odd }
`;
