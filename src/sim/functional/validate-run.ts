/**
 * One `vitforge validate` run without the CLI: resolve the design, weights (folders or seeded
 * synthetic), image (file, `image.float32.bin` of a weight folder, or seeded synthetic) and the
 * optional trace folder, then validate(). Same input conventions as `vitforge run`.
 */
import { checkOutputFile, writeFileAtomic } from '../../io/atomic.js';
import { UserError } from '../../errors.js';
import { loadDesign, type DesignOverrides } from '../../design/load.js';
import type { DesignPoint } from '../../design/types.js';
import { resolveInputs, type InputOptions, type ModelInputs } from '../../model/inputs.js';
import { DirectoryTrace } from '../../kernels/trace-writer.js';
import { checkSimulatable } from './context.js';
import { validate, validateSteps, type ValidationReport } from './validate.js';

export interface ValidateRunOptions extends InputOptions {
  /** Design file; the built-in Edge-MoE point when absent. */
  readonly design?: string;
  /** --model, --part, --set applied to the design (src/design/load.ts). */
  readonly overrides?: DesignOverrides;
  readonly layers?: number;
  readonly ablate?: boolean;
  readonly trace?: string;
  readonly json?: string;
  /** Progress: called with (blocks done, blocks in all, pass) after every block of every pass. */
  readonly onProgress?: (done: number, total: number, pass: string) => void;
}

export interface ValidateRun {
  readonly design: DesignPoint;
  readonly report: ValidationReport;
  readonly inputs: ModelInputs;
  /** Image file path or `synthetic (seed N)`. */
  readonly image: string;
  /** True when no weight folder was given (every tensor synthetic). */
  readonly syntheticWeights: boolean;
}

/** JSON text of a report; non-finite numbers (an SQNR of +∞ for identical tensors) become strings. */
export function reportJson(report: ValidationReport, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...extra, ...report }, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? String(v) : v, 2) + '\n';
}

export function runValidation(o: ValidateRunOptions): ValidateRun {
  const design = loadDesign(o.design, o.overrides);
  checkSimulatable(design);
  const model = design.model;
  const seed = o.seed ?? 0;
  const layers = o.layers ?? model.depth;
  if (!Number.isInteger(layers) || layers < 0 || layers > model.depth) {
    throw new UserError('layers', `must be an integer in 0..${model.depth} for ${model.name}, got ${layers}`);
  }
  if (o.json) checkOutputFile(o.json, 'json');
  const inputs = resolveInputs(model, o);
  const { weights, image, imageLabel } = inputs;

  const trace = o.trace
    ? new DirectoryTrace(o.trace, {
      producer: 'vitforge validate (fixed point)', design: design.name, model: model.name,
      weights: weights.provenance, synthetic: weights.syntheticNames, image: imageLabel, seed, layers, task: design.moe.task,
    })
    : undefined;
  let report: ValidationReport;
  try {
    const total = validateSteps(layers, o.ablate);
    let done = 0;
    o.onProgress?.(0, total, ''); // starts the caller's clock before the first block
    const onBlock = o.onProgress ? (pass: string): void => o.onProgress!(++done, total, pass) : undefined;
    report = validate(design, weights, image, { layers, ablate: o.ablate, trace, onBlock });
    trace?.finish();
  } catch (e) {
    trace?.abort();
    throw e;
  }
  if (o.json) writeFileAtomic(o.json, reportJson(report, { image: imageLabel }), 'json');
  return { design, report, inputs, image: imageLabel, syntheticWeights: inputs.allSynthetic };
}
