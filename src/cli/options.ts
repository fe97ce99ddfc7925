/** Option parsing shared by the commands (so every command spells and checks a flag the same way). */
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { syntheticNote, type InputOptions, type ModelInputs } from '../model/inputs.js';

/** Commander accumulator for repeatable options. */
export function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

/** Parse an integer option strictly ("3", not "3x" or "1.5"). */
export function intOption(field: string, v: string | undefined, min = 0): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim()) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
    throw new UserError(field, `must be an integer ≥ ${min}, got '${v}'`);
  }
  return Number(v);
}

export interface InputFlags {
  weights: string[];
  fillMissing?: boolean;
  image?: string;
  seed?: string;
}

/** --weights (repeatable), --fill-missing, --image, --seed: the inputs of a forward pass. */
export function addInputOptions(cmd: Command): Command {
  return cmd
    .option('--weights <path>', 'folder of <tensor>.float32.bin files, a .safetensors file (timm or vitforge names) or an .onnx file; repeat to overlay (first wins)', collect, [])
    .option('--fill-missing', 'fill tensors missing from the weight folders with seeded synthetic values')
    .option('--image <file>', 'raw float32 image [C][H][W] (default: image.float32.bin of a weights folder, else synthetic)')
    .option('--seed <n>', 'seed for synthetic weights, image and --fill-missing', '0');
}

export function inputOptions(f: InputFlags): InputOptions {
  return { weights: f.weights, fillMissing: f.fillMissing, image: f.image, seed: intOption('seed', f.seed) };
}

/** Say on stderr which tensors were not real. */
export function reportSynthetic(inputs: ModelInputs): void {
  const note = syntheticNote(inputs);
  if (note) process.stderr.write(`vitforge: note: ${note}\n`);
}
