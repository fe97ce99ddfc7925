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
  mean?: string;
  std?: string;
  cropPct?: string;
  interpolation?: string;
}

/** "0.5,0.5,0.5" → numbers; UserError naming the flag otherwise. */
function numberList(field: string, v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const xs = v.split(',').map((x) => Number(x.trim()));
  if (!xs.length || xs.some((x) => !Number.isFinite(x) || v.trim() === '')) throw new UserError(field, `must be comma-separated numbers, got '${v}'`);
  return xs;
}

/** --weights (repeatable), --fill-missing, --image, --seed: the inputs of a forward pass. */
export function addInputOptions(cmd: Command): Command {
  return cmd
    .option('--weights <path>', 'folder of <tensor>.float32.bin files, a .safetensors file (timm or vitforge names) or an .onnx file; repeat to overlay (first wins)', collect, [])
    .option('--fill-missing', 'fill tensors missing from the weight folders with seeded synthetic values')
    .option('--image <file>', 'raw float32 image [C][H][W], or a PNG/JPEG photo (eval preprocessing) (default: image.float32.bin of a weights folder, else synthetic)')
    .option('--seed <n>', 'seed for synthetic weights, image and --fill-missing', '0')
    .option('--mean <r,g,b>', 'photo preprocessing: Normalize mean (default: model file, else ImageNet 0.485,0.456,0.406)')
    .option('--std <r,g,b>', 'photo preprocessing: Normalize std (default: model file, else ImageNet 0.229,0.224,0.225)')
    .option('--crop-pct <x>', 'photo preprocessing: resize the shorter side to size/x, then centre-crop (default 0.875)')
    .option('--interpolation <kind>', 'photo preprocessing resize: bicubic (default) or bilinear');
}

export function inputOptions(f: InputFlags): InputOptions {
  if (f.interpolation !== undefined && f.interpolation !== 'bicubic' && f.interpolation !== 'bilinear') {
    throw new UserError('interpolation', `unknown value '${f.interpolation}'`, 'bicubic, bilinear');
  }
  const cropPct = f.cropPct === undefined ? undefined : Number(f.cropPct);
  if (cropPct !== undefined && !(cropPct > 0 && cropPct <= 1)) throw new UserError('crop-pct', `must be a number in (0, 1], got '${f.cropPct}'`);
  return {
    weights: f.weights, fillMissing: f.fillMissing, image: f.image, seed: intOption('seed', f.seed),
    preprocess: {
      mean: numberList('mean', f.mean), std: numberList('std', f.std), cropPct,
      interpolation: f.interpolation as 'bicubic' | 'bilinear' | undefined,
    },
  };
}

/** Say on stderr which tensors were not real. */
export function reportSynthetic(inputs: ModelInputs): void {
  const note = syntheticNote(inputs);
  if (note) process.stderr.write(`vitforge: note: ${note}\n`);
}

export interface DesignFlags {
  design?: string;
  model?: string;
  part?: string;
  set: string[];
}

/** --design, --model, --part, --set PATH=VALUE (repeatable): the design a command works on. */
export function addDesignOptions(cmd: Command): Command {
  return cmd
    .option('--design <file>', 'design file (default: the built-in Edge-MoE ZCU102 point)')
    .option('--model <name|file>', 'model preset or model file instead of the design\'s')
    .option('--part <id|file>', 'part id or part file instead of the design\'s')
    .option('--set <path=value>', 'change one design field, e.g. clockMHz=250 or linear.tileOut=32 (repeatable; validated like the file)', collect, []);
}
