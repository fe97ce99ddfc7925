/**
 * `vitforge csim`'s structure check of a generated project (docs/hls.md "Structure checks"):
 *  1. the kernel compiled alone (make kernel) holds exactly one function per plan unit — in
 *     particular one `linear_unit` and one `attention_unit` (its symbols, `nm -C`);
 *  2. the instrumented C-simulation (make counted) ran every labelled loop exactly the plan's
 *     iterations and entries for this input;
 *  3. the multipliers the C++ executed per iteration give the resource model's DSP count;
 *  4. the plan's costs applied to the counted iterations give `simulate`'s latency.
 * Writes loops.json in the project: per labelled loop the counted and predicted iterations, II
 * and depth.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { loadDesign } from '../design/load.js';
import { writeFileAtomic } from '../io/atomic.js';
import { validateRouting } from '../sim/timing/routing.js';
import type { RoutingStats } from '../sim/timing/report.js';
import { planForHls } from './context.js';
import { runTool } from './csim.js';
import { checkLoopCounts, readLoopCounts, type LoopCheck } from './loop-check.js';

export interface StructureResult {
  readonly loops: LoopCheck;
  /** Defined function symbols per plan unit function (expected 1 each). */
  readonly functions: Readonly<Record<string, number>>;
  /** Function symbols whose name starts like a unit's but are other functions (template clones). */
  readonly clones: readonly string[];
  readonly passed: boolean;
  readonly problems: readonly string[];
  readonly ms: number;
}

/** Demangled names of the functions an object file defines (text symbols). */
export async function definedFunctions(objectFile: string, cwd: string): Promise<string[]> {
  const r = await runTool('nm', ['-C', '--defined-only', objectFile], cwd);
  if (r.code !== 0) throw new UserError('csim', `nm failed on ${objectFile}: ${r.out.trim().split('\n')[0]}`);
  return r.out.split('\n').map((l) => /^[0-9a-f]+\s+[tTwW]\s+(.+)$/.exec(l.trim())?.[1]).filter((s): s is string => Boolean(s));
}

export async function checkStructure(projectDir: string, opts: { opt?: string; extraFlags?: string; csimInclude?: string } = {}): Promise<StructureResult> {
  const t0 = performance.now();
  const dir = resolve(projectDir);
  const design = loadDesign(join(dir, 'design.yaml'));
  const plan = planForHls(design);
  const vars = [
    ...(opts.opt ? [`OPT=${opts.opt}`] : []),
    ...(opts.extraFlags ? [`EXTRA_CXXFLAGS=${opts.extraFlags}`] : []),
    ...(opts.csimInclude ? [`CSIM_INCLUDE=${resolve(opts.csimInclude)}`] : []),
  ];
  const problems: string[] = [];
  const kernel = await runTool('make', ['--no-print-directory', '-B', 'kernel', ...vars], dir);
  if (kernel.code !== 0) throw new UserError('csim', `the kernel alone does not compile:\n${kernel.out}`);
  const symbols = await definedFunctions(join('build', 'vitforge_kernel.o'), dir);
  const functions: Record<string, number> = {};
  const clones: string[] = [];
  for (const u of plan.units) {
    // Demangled names may carry a return type first (`void f<1>(int)`), so match the name as a word.
    const own = symbols.filter((s) => new RegExp(`(^|\\s)${u.function}\\(`).test(s));
    functions[u.function] = own.length;
    if (own.length !== 1) problems.push(`${own.length} definitions of ${u.function} (the ${u.id} unit) in the kernel object, expected 1`);
    // A template instance of a unit (`linear_unit<…>`) would be a second hardware instance.
    clones.push(...symbols.filter((s) => new RegExp(`(^|\\s)${u.function}<`).test(s)));
  }
  if (clones.length) problems.push(`template instances of a unit: ${clones.join(', ')}`);

  const counted = await runTool('make', ['--no-print-directory', '-B', 'counted', ...vars], dir);
  if (counted.code !== 0) problems.push(`instrumented C-simulation failed:\n${counted.out.trim()}`);
  const routingPath = join(dir, 'data', 'routing.json');
  const routing: RoutingStats | undefined = existsSync(routingPath)
    ? validateRouting(JSON.parse(readFileSync(routingPath, 'utf8')), design, routingPath) : undefined;
  const loops = checkLoopCounts(design, readLoopCounts(join(dir, 'build', 'loops.json')), routing);
  for (const l of loops.mismatches) problems.push(`loop ${l}: counted iterations/entries differ from the plan`);
  if (Math.abs(loops.countedDsp - loops.planDsp) > 1e-9) {
    problems.push(`the C++ multiplies need ${loops.countedDsp} DSP slices, the resource model says ${loops.planDsp}`);
  }
  writeFileAtomic(join(dir, 'loops.json'), `${JSON.stringify({
    format: 'vitforge-loops/1', design: design.name,
    predictedCycles: Math.round(loops.predictedCycles), countedCycles: Math.round(loops.countedCycles),
    planDsp: loops.planDsp, countedDsp: loops.countedDsp, units: loops.units,
    loops: loops.rows.map((r) => ({ label: r.label, unit: r.unit, ii: r.ii, depth: r.depth, predicted: r.predicted, counted: r.counted, planDsp: r.planDsp, countedDsp: r.countedDsp })),
  }, null, 2)}\n`, 'loops.json');
  return { loops, functions, clones, passed: problems.length === 0, problems, ms: performance.now() - t0 };
}
