/**
 * Custom model files (YAML or JSON). Schema, with defaults in brackets:
 *
 *   name: my-vit
 *   image: { height: 224, width: 224, channels: [3] }
 *   patchSize: 16
 *   classToken: parameter | pos-embed | none     [parameter]
 *   dim: 192
 *   depth: 12
 *   heads: 3
 *   mlpHidden: 768                 (dense MLP width; required unless every block is MoE)
 *   lnEps: [1e-6]
 *   gelu: erf | tanh                [erf]
 *   preprocess:                     (photos given to --image; defaults: ImageNet/DeiT eval)
 *     mean: [0.485, 0.456, 0.406]
 *     std: [0.229, 0.224, 0.225]
 *     cropPct: 0.875
 *     interpolation: bicubic | bilinear
 *   head:                           (optional classifier head; see HeadSpec in ir.ts)
 *     classes: 1000
 *     pooling: token | mean         [token]
 *     finalNorm: pooled | tokens    [pooled]
 *   moe:                            (optional)
 *     experts: 16
 *     topK: 2
 *     hidden: 384
 *     tasks: [1]
 *     layers: odd | even | all | [1, 3, 5]
 */
import { readFileSync, existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.js';
import type { ClassTokenKind, FfnSpec, GeluKind, HeadSpec, ModelSpec } from './ir.js';
import { isPreset, presetModel } from './presets.js';
import { importOnnx, ONNX_FILE_RE } from './onnx/index.js';

type Obj = Record<string, unknown>;

export function readStructuredFile(path: string, field: string): unknown {
  if (!existsSync(path)) throw new UserError(field, `file not found: ${path}`);
  const text = readFileSync(path, 'utf8');
  try {
    return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    throw new UserError(field, `cannot parse ${path}: ${msg}`);
  }
}

function checkKeys(o: Obj, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new UserError(`${where}${where ? '.' : ''}${k}`, 'unknown field', allowed.join(', '));
  }
}

export function posInt(o: Obj, key: string, where: string, def?: number): number {
  const v = o[key] ?? def;
  const field = `${where}${where ? '.' : ''}${key}`;
  if (v === undefined) throw new UserError(field, 'is required', 'a positive integer');
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new UserError(field, `must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

function asObj(v: unknown, field: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new UserError(field, 'must be a mapping');
  return v as Obj;
}

/** Validate a parsed model description and build the IR. */
export function modelFromObject(raw: unknown, where = 'model'): ModelSpec {
  const o = asObj(raw, where);
  checkKeys(o, ['name', 'image', 'patchSize', 'classToken', 'dim', 'depth', 'heads', 'mlpHidden', 'lnEps', 'moe', 'head', 'gelu', 'preprocess'], '');
  const image = asObj(o.image, 'image');
  checkKeys(image, ['height', 'width', 'channels'], 'image');
  const imageHeight = posInt(image, 'height', 'image');
  const imageWidth = posInt(image, 'width', 'image');
  const channels = posInt(image, 'channels', 'image', 3);
  const patchSize = posInt(o, 'patchSize', '');
  if (imageHeight % patchSize || imageWidth % patchSize) {
    throw new UserError('patchSize', `${patchSize} does not divide the image ${imageHeight}x${imageWidth}`);
  }
  const classToken = (o.classToken ?? 'parameter') as ClassTokenKind;
  if (!['parameter', 'pos-embed', 'none'].includes(classToken)) {
    throw new UserError('classToken', `unknown value '${String(classToken)}'`, 'parameter, pos-embed, none');
  }
  const dim = posInt(o, 'dim', '');
  const depth = posInt(o, 'depth', '');
  const heads = posInt(o, 'heads', '');
  if (dim % heads) throw new UserError('heads', `${heads} does not divide dim ${dim}`);
  const lnEps = o.lnEps ?? 1e-6;
  if (typeof lnEps !== 'number' || !(lnEps > 0)) throw new UserError('lnEps', 'must be a positive number');
  let moeLayers = new Set<number>();
  let moe: FfnSpec | undefined;
  if (o.moe !== undefined) {
    const m = asObj(o.moe, 'moe');
    checkKeys(m, ['experts', 'topK', 'hidden', 'tasks', 'layers'], 'moe');
    const experts = posInt(m, 'experts', 'moe');
    const topK = posInt(m, 'topK', 'moe');
    if (topK > experts) throw new UserError('moe.topK', `${topK} exceeds experts ${experts}`);
    moe = { kind: 'moe', experts, topK, hidden: posInt(m, 'hidden', 'moe'), tasks: posInt(m, 'tasks', 'moe', 1) };
    const layers = m.layers ?? 'odd';
    const all = Array.from({ length: depth }, (_, i) => i);
    if (layers === 'odd') moeLayers = new Set(all.filter((i) => i % 2 === 1));
    else if (layers === 'even') moeLayers = new Set(all.filter((i) => i % 2 === 0));
    else if (layers === 'all') moeLayers = new Set(all);
    else if (Array.isArray(layers) && layers.every((x) => Number.isInteger(x) && x >= 0 && x < depth)) {
      moeLayers = new Set(layers as number[]);
    } else {
      throw new UserError('moe.layers', `invalid value ${JSON.stringify(layers)}`, `odd, even, all, or a list of block indices 0..${depth - 1}`);
    }
  }
  const needsMlp = moeLayers.size < depth;
  const mlpHidden = needsMlp ? posInt(o, 'mlpHidden', '') : 0;
  const blocks: FfnSpec[] = Array.from({ length: depth }, (_, l) =>
    moe && moeLayers.has(l) ? moe : ({ kind: 'mlp', hidden: mlpHidden } as const));
  const name = typeof o.name === 'string' && o.name ? o.name : 'custom';
  const gelu = (o.gelu ?? 'erf') as GeluKind;
  if (gelu !== 'erf' && gelu !== 'tanh') throw new UserError('gelu', `unknown value '${String(gelu)}'`, 'erf, tanh');
  if (gelu === 'tanh' && moe) throw new UserError('gelu', 'tanh GELU is supported for dense MLP models only', 'erf');
  let head: HeadSpec | undefined;
  if (o.head !== undefined) {
    const h = asObj(o.head, 'head');
    checkKeys(h, ['classes', 'pooling', 'finalNorm'], 'head');
    const pooling = (h.pooling ?? 'token') as HeadSpec['pooling'];
    if (pooling !== 'token' && pooling !== 'mean') throw new UserError('head.pooling', `unknown value '${String(pooling)}'`, 'token, mean');
    if (pooling === 'token' && classToken === 'none') throw new UserError('head.pooling', 'token pooling needs a class token (classToken is none)', 'mean');
    const finalNorm = (h.finalNorm ?? 'pooled') as HeadSpec['finalNorm'];
    if (finalNorm !== 'pooled' && finalNorm !== 'tokens') throw new UserError('head.finalNorm', `unknown value '${String(finalNorm)}'`, 'pooled, tokens');
    head = Object.freeze({ pooling, finalNorm, classes: posInt(h, 'classes', 'head') });
  }
  let preprocess: ModelSpec['preprocess'];
  if (o.preprocess !== undefined) {
    const p = asObj(o.preprocess, 'preprocess');
    checkKeys(p, ['mean', 'std', 'cropPct', 'interpolation'], 'preprocess');
    const vec = (k: string, def: readonly number[]): readonly number[] => {
      const v = p[k] ?? def;
      if (!Array.isArray(v) || v.length !== channels || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        throw new UserError(`preprocess.${k}`, `must be a list of ${channels} numbers`);
      }
      return Object.freeze([...v] as number[]);
    };
    const interpolation = (p.interpolation ?? 'bicubic') as 'bicubic' | 'bilinear';
    if (interpolation !== 'bicubic' && interpolation !== 'bilinear') throw new UserError('preprocess.interpolation', `unknown value '${String(interpolation)}'`, 'bicubic, bilinear');
    const cropPct = p.cropPct ?? 0.875;
    if (typeof cropPct !== 'number' || !(cropPct > 0 && cropPct <= 1)) throw new UserError('preprocess.cropPct', 'must be a number in (0, 1]');
    preprocess = Object.freeze({ mean: vec('mean', [0.485, 0.456, 0.406]), std: vec('std', [0.229, 0.224, 0.225]), cropPct, interpolation });
  }
  return Object.freeze({
    name, channels, imageHeight, imageWidth, patchSize, classToken, dim, depth, heads, lnEps,
    blocks: Object.freeze(blocks),
    ...(head ? { head } : {}),
    ...(preprocess ? { preprocess } : {}),
    ...(gelu !== 'erf' ? { gelu } : {}),
  });
}

export function loadModelFile(path: string): ModelSpec {
  return modelFromObject(readStructuredFile(path, 'model'), 'model');
}

const MODEL_FILE_RE = /\.(ya?ml|json|onnx)$/i;

/**
 * A model reference as written in a file under `baseDir`: model-file paths (.yaml/.yml/.json) are
 * made absolute against `baseDir`; preset names (and anything else, so that an unknown preset is
 * reported by its own name) are returned unchanged.
 */
export function absoluteModelRef(ref: string, baseDir: string): string {
  return !isPreset(ref) && MODEL_FILE_RE.test(ref) && !isAbsolute(ref) ? resolve(baseDir, ref) : ref;
}

/** A preset name, a model file path, or an exported ONNX graph (model and weights, onnx/). */
export function resolveModel(ref: string, field = 'model'): ModelSpec {
  if (isPreset(ref)) return presetModel(ref, field);
  if (ONNX_FILE_RE.test(ref)) return importOnnx(ref).model;
  if (MODEL_FILE_RE.test(ref)) {
    try {
      return loadModelFile(ref);
    } catch (e) {
      if (e instanceof UserError && e.field !== 'model') {
        throw new UserError(`${ref}: ${e.field}`, e.message, e.allowed);
      }
      throw e;
    }
  }
  return presetModel(ref, field);
}

/**
 * A model as a model-file object (the inverse of `modelFromObject`), for projects that must
 * carry their model with them. Needs one dense width and one MoE shape (what the file can say).
 */
export function modelToObject(m: ModelSpec): Obj {
  const dense = m.blocks.filter((b) => b.kind === 'mlp');
  const moe = m.blocks.filter((b): b is Extract<FfnSpec, { kind: 'moe' }> => b.kind === 'moe');
  const one = <T>(xs: T[], what: string): T | undefined => {
    if (xs.some((x) => JSON.stringify(x) !== JSON.stringify(xs[0]))) throw new UserError('model', `a model file holds one ${what} shape; this model has several`);
    return xs[0];
  };
  const d = one(dense, 'dense MLP');
  const e = one(moe, 'MoE');
  return {
    name: m.name, image: { height: m.imageHeight, width: m.imageWidth, channels: m.channels }, patchSize: m.patchSize,
    classToken: m.classToken, dim: m.dim, depth: m.depth, heads: m.heads, lnEps: m.lnEps,
    ...(d ? { mlpHidden: d.hidden } : {}),
    ...(e ? {
      moe: {
        experts: e.experts, topK: e.topK, hidden: e.hidden, tasks: e.tasks,
        layers: m.blocks.flatMap((b, l) => (b.kind === 'moe' ? [l] : [])),
      },
    } : {}),
  };
}
