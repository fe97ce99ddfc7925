/**
 * `vitforge generate`: render the Vitis HLS project of a design point from templates/hls, compute
 * the golden output with the fixed-point simulator, and write everything atomically (a temporary
 * sibling directory renamed into place; a failure leaves nothing behind). The same design, weights
 * and image give byte-identical files.
 */
import { VERSION } from '../version.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { UserError } from '../errors.js';
import { stringify as stringifyYaml } from 'yaml';
import { designToYaml } from '../design/load.js';
import { modelToObject } from '../model/file.js';
import { isPreset } from '../model/presets.js';
import type { DesignPoint } from '../design/types.js';
import { buildGeluTable, geluTableCpp } from '../fixed/math/index.js';
import { projectRoot } from '../model/shared.js';
import type { WeightSet } from '../model/weights.js';
import { forwardFixed, quantizeWeights } from '../sim/functional/index.js';
import { buildHlsContext, TB, TOP, type HlsContext } from './context.js';
import type { LoweredPlan } from '../plan/index.js';
import { predictionOf } from './prediction.js';
import type { RoutingStats } from '../sim/timing/report.js';

/** The version written into generated projects (one source: src/version.ts). */
export const VITFORGE_VERSION = VERSION;

export interface GenerateOptions {
  readonly design: DesignPoint;
  readonly weights: WeightSet;
  /** Input image [C][H][W] float32. */
  readonly image: Float32Array;
  /** File the image came from (referenced by the testbench); written into data/ when absent. */
  readonly imagePath?: string;
  readonly outDir: string;
  /** Copy vitforge's C-simulation headers into the project (else the Makefile points at them). */
  readonly csimHeaders?: boolean;
}

export interface GenerateResult {
  readonly outDir: string;
  /** Project-relative paths of the files written, sorted. */
  readonly files: readonly string[];
  /** Golden output, fm raws, tokens × D. */
  readonly goldenRaw: Float64Array;
  /** Tensors the testbench reads from data/ (synthetic) rather than from their weight folder. */
  readonly writtenTensors: readonly string[];
}

export function templatesDir(): string {
  return join(projectRoot(), 'templates', 'hls');
}

export function csimHeadersDir(): string {
  return join(templatesDir(), 'csim', 'include');
}

/**
 * A Handlebars environment with the kernel partials and the `loop` helper registered; strict: a
 * missing field is an error. `{{{loop "unit.name" "var" indent}}}` opens the plan's loop: its
 * label, `for` over the plan's bound, its pragmas (PIPELINE II, LOOP_TRIPCOUNT for runtime
 * bounds, DEPENDENCE) and the counting hook. `rendered` collects the loops the templates emit.
 */
function templateEnv(plan: LoweredPlan, rendered: Map<string, number>): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('loop', (id: string, v: string, indent: number) => {
    const l = plan.byId.get(id);
    if (!l) throw new Error(`template names loop '${id}', which the plan does not have`);
    rendered.set(id, (rendered.get(id) ?? 0) + 1);
    const pad = ' '.repeat(indent);
    const lines = [`${pad}${l.label}:`, `${pad}for (int ${v} = 0; ${v} < ${l.bound}; ${v}++) {`];
    lines.push(l.ii === null ? '#pragma HLS PIPELINE off' : `#pragma HLS PIPELINE II=${l.ii}`);
    // Runtime-bounded loops tell Vitis their trip-count range (for its latency report).
    if (/[a-z]/.test(l.bound)) lines.push(`#pragma HLS LOOP_TRIPCOUNT min=${l.tripMin} max=${l.tripMax}`);
    if (l.dependence) lines.push(`#pragma HLS DEPENDENCE variable=${l.dependence.variable} inter distance=${l.dependence.distance} true`);
    lines.push(`${pad}    VF_LOOP(${l.index}, ${v}); // plan loop ${l.id}: ${l.doc}`);
    return lines.join('\n');
  });
  const partials = join(templatesDir(), 'partials');
  for (const f of readdirSync(partials).sort()) {
    if (f.endsWith('.hbs')) hb.registerPartial(basename(f, '.hbs'), readFileSync(join(partials, f), 'utf8'));
  }
  return hb;
}

function render(hb: typeof Handlebars, template: string, context: HlsContext): string {
  const text = readFileSync(join(templatesDir(), template), 'utf8');
  return hb.compile(text, { noEscape: true, strict: true })(context);
}

function float32Bytes(data: Float32Array): Buffer {
  if (endianness() === 'LE') return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out = Buffer.alloc(data.length * 4);
  for (let i = 0; i < data.length; i++) out.writeFloatLE(data[i]!, i * 4);
  return out;
}

function int64Bytes(raw: Float64Array): Buffer {
  const out = Buffer.alloc(raw.length * 8);
  for (let i = 0; i < raw.length; i++) out.writeBigInt64LE(BigInt(raw[i]!), i * 8);
  return out;
}

/** Every file of the project as path → content (pure: no file is written). */
export function renderProject(opts: GenerateOptions, goldenRaw: Float64Array, routing?: RoutingStats): {
  files: Map<string, string | Buffer>; writtenTensors: string[];
} {
  const { design, weights } = opts;
  const files = new Map<string, string | Buffer>();
  const csimHeaders = opts.csimHeaders ?? false;

  // Data: tensors that exist as files are referenced where they are; the rest is written here.
  const manifest: string[] = [];
  const writtenTensors: string[] = [];
  const synthetic = new Set(weights.syntheticNames);
  const { context, layout, plan } = buildHlsContext(design, {
    csimInclude: csimHeaders ? 'csim/include' : csimHeadersDir(),
    csimHeaders,
    weightsNote: '',
    version: VITFORGE_VERSION,
  });
  for (const slot of layout.slots) {
    const t = weights.get(slot.tensor);
    if (!synthetic.has(t.name) && t.path) {
      manifest.push(`${t.name} ${resolve(t.path)}`);
    } else {
      const rel = `data/${t.name}.float32.bin`;
      files.set(rel, float32Bytes(t.data));
      manifest.push(`${t.name} ${rel}`);
      writtenTensors.push(t.name);
    }
  }
  if (opts.imagePath) {
    manifest.push(`image ${resolve(opts.imagePath)}`);
  } else {
    files.set('data/image.float32.bin', float32Bytes(opts.image));
    manifest.push('image data/image.float32.bin');
  }
  files.set('data/tensors.txt', manifest.join('\n') + '\n');
  files.set('data/golden_out.i64.bin', int64Bytes(goldenRaw));
  // The MoE queue lengths of this input: the instrumented C-simulation's loop counts follow them.
  if (routing) files.set('data/routing.json', `${JSON.stringify(routing, null, 2)}\n`);

  const referenced = layout.slots.length - writtenTensors.length;
  const ctx: HlsContext = {
    ...context,
    weightsNote: (referenced === 0
      ? `the ${layout.slots.length} tensors the kernel reads are in \`data/\``
      : `${referenced} of the ${layout.slots.length} tensors the kernel reads come from their weight folders ` +
        `(absolute paths in \`data/tensors.txt\`), ${writtenTensors.length} are in \`data/\``) +
      `; the image is ${opts.imagePath ? `\`${resolve(opts.imagePath)}\`` : 'in `data/`'}. Weight set: ${weights.provenance}.`,
  };

  const rendered = new Map<string, number>();
  const hb = templateEnv(plan, rendered);
  files.set(`src/${TOP}.h`, render(hb, 'kernel.h.hbs', ctx));
  files.set(`src/${TOP}.cpp`, render(hb, 'kernel.cpp.hbs', ctx));
  // The kernel is the plan: every loop of the plan appears exactly once in the emitted C++.
  for (const l of plan.loops) {
    const n = rendered.get(l.id) ?? 0;
    if (n !== 1) throw new Error(`plan loop ${l.id} is rendered ${n} times by the templates (expected once)`);
  }
  const table = buildGeluTable(design.gelu.step, design.gelu.range, design.types.geluTable);
  files.set('src/vf_tables.h', render(hb, 'vf_tables.h.hbs', {
    ...ctx, geluTableSize: table.entries.length, geluTable: geluTableCpp(table, 'GELU_DELTA_TABLE'),
  }));
  files.set(`tb/${TB}.cpp`, render(hb, 'testbench.cpp.hbs', ctx));
  files.set('run_hls.tcl', render(hb, 'run_hls.tcl.hbs', ctx));
  files.set('Makefile', render(hb, 'Makefile.hbs', ctx));
  files.set('README.md', render(hb, 'README.md.hbs', ctx));
  // The project carries its model: a preset by name, anything else as model.yaml beside design.yaml.
  const preset = isPreset(design.modelRef);
  if (!preset) files.set('model.yaml', `# Model of this project (vitforge generate).\n${stringifyYaml(modelToObject(design.model))}`);
  files.set('design.yaml', `# Design point of this project (vitforge generate).\n${designToYaml(preset ? design : { ...design, modelRef: 'model.yaml' })}`);
  files.set('vitforge-plan.json', `${JSON.stringify(predictionOf(design, plan), null, 2)}\n`);
  for (const f of ['vf_math.h', 'vf_math_tables.h', 'vf_count.h']) files.set(`include/${f}`, readFileSync(join(templatesDir(), 'include', f)));
  if (csimHeaders) {
    const dir = csimHeadersDir();
    for (const f of readdirSync(dir).sort()) files.set(`csim/include/${f}`, readFileSync(join(dir, f)));
  }
  return { files, writtenTensors };
}

/** Write `files` into `outDir` atomically: build a temporary sibling, then swap it in. */
export function writeAtomically(outDir: string, files: ReadonlyMap<string, string | Buffer>): void {
  const target = resolve(outDir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(target)}.tmp-${process.pid}`);
  const old = join(parent, `.${basename(target)}.old-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    for (const [rel, content] of files) {
      const path = join(tmp, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    if (existsSync(target)) renameSync(target, old);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(target)) renameSync(old, target);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}

/** Generate the project: golden from the fixed-point simulator, render, write atomically. */
export function generateProject(opts: GenerateOptions): GenerateResult {
  if (opts.outDir.trim() === '') throw new UserError('out', 'output directory is empty');
  if (existsSync(opts.outDir) && !existsSync(join(opts.outDir, 'run_hls.tcl')) && readdirSync(opts.outDir).length > 0) {
    throw new UserError('out', `${opts.outDir} exists and is not a vitforge HLS project; refusing to replace it`);
  }
  // Validate before the (long) simulation: rendering checks the design and the templates.
  buildHlsContext(opts.design, { csimInclude: '', csimHeaders: false, weightsNote: '', version: VITFORGE_VERSION });
  const qw = quantizeWeights(opts.design, opts.weights);
  const { outputRaw, routing } = forwardFixed(opts.design, qw, opts.image);
  const { files, writtenTensors } = renderProject(opts, outputRaw, routing);
  writeAtomically(opts.outDir, files);
  return { outDir: resolve(opts.outDir), files: [...files.keys()].sort(), goldenRaw: outputRaw, writtenTensors };
}
