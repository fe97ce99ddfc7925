/**
 * Design files (YAML or JSON): parsing, defaults (the Edge-MoE point, see defaults.ts) and
 * validation. Every rejection is a UserError naming the field and the allowed values.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { UserError } from '../errors.js';
import { formatFixedType, parseFixedType } from '../fixed/type.js';
import { modelDims } from '../model/ir.js';
import { absoluteModelRef, readStructuredFile, resolveModel } from '../model/file.js';
import { getPart, isPartPath } from '../parts/parts.js';
import { DEFAULT_DESIGN } from './defaults.js';
import {
  TENSOR_CLASSES, type DesignPoint, type DesignTypes, type RoutingAssumption, type TensorClass,
} from './types.js';

type Obj = Record<string, unknown>;
const AXI_WIDTHS = [32, 64, 128, 256, 512, 1024];

function obj(v: unknown, field: string): Obj {
  if (v === undefined) return {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new UserError(field, 'must be a mapping');
  return v as Obj;
}

function onlyKeys(o: Obj, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new UserError(where ? `${where}.${k}` : k, 'unknown field', allowed.join(', '));
  }
}

function int(v: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new UserError(field, `must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    throw new UserError(field, `invalid value ${JSON.stringify(v)}`, allowed.join(', '));
  }
  return v as T;
}

function divides(tile: number, n: number): boolean {
  return n % tile === 0;
}

/**
 * Build a validated design point from a parsed object. `baseDir` resolves a relative model path.
 */
export function designFromObject(raw: unknown, baseDir = process.cwd()): DesignPoint {
  const o = obj(raw, 'design');
  onlyKeys(o, ['name', 'model', 'part', 'clockMHz', 'axiBits', 'linear', 'attention', 'types', 'approx', 'gelu', 'moe', 'buffers'], '');
  const D = DEFAULT_DESIGN;
  const name = o.name === undefined ? D.name : String(o.name);
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new UserError('name', `'${name}' is not a valid name`, 'letters, digits, _ . -');

  const modelRef = o.model === undefined ? D.model : String(o.model);
  const model = resolveModel(absoluteModelRef(modelRef, baseDir), 'model');
  const dims = modelDims(model);

  const partRef = o.part === undefined ? D.part : String(o.part);
  // A custom part file is resolved like the model path and kept as an absolute path.
  const partId = isPartPath(partRef) && !isAbsolute(partRef) ? resolve(baseDir, partRef) : partRef;
  const part = getPart(partId, 'part');
  const clockMHz = o.clockMHz ?? D.clockMHz;
  if (typeof clockMHz !== 'number' || !(clockMHz >= part.clockMHz.min && clockMHz <= part.clockMHz.max)) {
    throw new UserError('clockMHz', `${JSON.stringify(clockMHz)} MHz is outside the realistic range of ${part.board}`,
      `${part.clockMHz.min}..${part.clockMHz.max}`);
  }
  const axiBits = o.axiBits ?? D.axiBits;
  if (!AXI_WIDTHS.includes(axiBits as number)) throw new UserError('axiBits', `invalid width ${JSON.stringify(axiBits)}`, AXI_WIDTHS.join(', '));

  const lin = obj(o.linear, 'linear');
  onlyKeys(lin, ['tileIn', 'tileOut'], 'linear');
  const tileIn = int(lin.tileIn ?? D.linear.tileIn, 'linear.tileIn', 1, 1024);
  const tileOut = int(lin.tileOut ?? D.linear.tileOut, 'linear.tileOut', 1, 1024);
  const hiddens = [...new Set(model.blocks.map((b) => b.hidden))];
  const inDims = [dims.patchK, model.dim, ...hiddens];
  const outDims = [model.dim, 3 * model.dim, ...hiddens];
  for (const k of inDims) {
    if (!divides(tileIn, k)) {
      throw new UserError('linear.tileIn', `${tileIn} does not divide the linear input width ${k}`, `a common divisor of ${[...new Set(inDims)].sort((a, b) => a - b).join(', ')}`);
    }
  }
  for (const n of outDims) {
    if (!divides(tileOut, n)) {
      throw new UserError('linear.tileOut', `${tileOut} does not divide the linear output width ${n}`, `a common divisor of ${[...new Set(outDims)].sort((a, b) => a - b).join(', ')}`);
    }
  }

  const att = obj(o.attention, 'attention');
  onlyKeys(att, ['parallel', 'dotTile'], 'attention');
  const parallel = int(att.parallel ?? D.attention.parallel, 'attention.parallel', 1, dims.tokens);
  const dotTile = int(att.dotTile ?? D.attention.dotTile, 'attention.dotTile', 1, dims.headDim);
  if (!divides(dotTile, dims.headDim)) {
    throw new UserError('attention.dotTile', `${dotTile} does not divide the head width ${dims.headDim}`);
  }

  const t = obj(o.types, 'types');
  onlyKeys(t, TENSOR_CLASSES, 'types');
  const types = {} as Record<TensorClass, ReturnType<typeof parseFixedType>>;
  for (const c of TENSOR_CLASSES) types[c] = parseFixedType(String(t[c] ?? D.types[c]), `types.${c}`);
  for (const c of ['fm', 'accum', 'softmax', 'lnStat'] as const) {
    if (!types[c].signed) throw new UserError(`types.${c}`, 'must be a signed type (ap_fixed)');
  }
  if (types.geluTable.signed) throw new UserError('types.geluTable', 'must be unsigned (ap_ufixed): the delta table holds |x|·Φ(−|x|) ≥ 0');

  const ap = obj(o.approx, 'approx');
  onlyKeys(ap, ['exp', 'recip', 'rsqrt', 'gelu'], 'approx');
  const approx = {
    exp: oneOf(ap.exp ?? D.approx.exp, 'approx.exp', ['hw', 'exact'] as const),
    recip: oneOf(ap.recip ?? D.approx.recip, 'approx.recip', ['hw', 'exact'] as const),
    rsqrt: oneOf(ap.rsqrt ?? D.approx.rsqrt, 'approx.rsqrt', ['hw', 'exact'] as const),
    gelu: oneOf(ap.gelu ?? D.approx.gelu, 'approx.gelu', ['table', 'exact'] as const),
  };

  const g = obj(o.gelu, 'gelu');
  onlyKeys(g, ['step', 'range'], 'gelu');
  const step = g.step ?? D.gelu.step;
  if (typeof step !== 'number' || !(step > 0) || !Number.isInteger(Math.log2(step)) || step > 1) {
    throw new UserError('gelu.step', `${JSON.stringify(step)} is not a power of two ≤ 1`, '1, 0.5, 0.25, ..., 2^-12');
  }
  const range = g.range ?? D.gelu.range;
  if (typeof range !== 'number' || !(range > 0) || !Number.isInteger(range / step) || range / step > 65536) {
    throw new UserError('gelu.range', `${JSON.stringify(range)} must be a positive multiple of gelu.step with at most 65536 entries`);
  }

  const m = obj(o.moe, 'moe');
  onlyKeys(m, ['task', 'routing'], 'moe');
  const moeBlock = model.blocks.find((b) => b.kind === 'moe');
  const tasks = moeBlock && moeBlock.kind === 'moe' ? moeBlock.tasks : 1;
  const task = int(m.task ?? D.moe.task, 'moe.task', 0, tasks - 1);
  const routing = parseRouting(m.routing ?? D.moe.routing, moeBlock && moeBlock.kind === 'moe' ? moeBlock : undefined, dims.tokens);

  const b = obj(o.buffers, 'buffers');
  onlyKeys(b, ['weights'], 'buffers');
  const buffers = { weights: oneOf(b.weights ?? D.buffers.weights, 'buffers.weights', ['pingpong', 'single'] as const) };

  return Object.freeze({
    name, modelRef, model, part: isPartPath(partId) ? partId : part.id, clockMHz, axiBits: axiBits as number,
    linear: { tileIn, tileOut }, attention: { parallel, dotTile },
    types: Object.freeze(types) as DesignTypes, approx, gelu: { step, range }, moe: { task, routing }, buffers,
  });
}

function parseRouting(
  v: unknown, moe: { experts: number; topK: number } | undefined, tokens: number,
): RoutingAssumption {
  if (v === 'simulate' || v === 'uniform') return { kind: v };
  if (v && typeof v === 'object' && !Array.isArray(v) && 'histogram' in (v as Obj)) {
    const counts = (v as Obj).histogram;
    const E = moe?.experts ?? 0;
    if (!Array.isArray(counts) || counts.length !== E || !counts.every((c) => Number.isInteger(c) && c >= 0)) {
      throw new UserError('moe.routing.histogram', `must list ${E} non-negative token counts, one per expert`);
    }
    const total = counts.reduce((a: number, c: number) => a + c, 0);
    if (moe && total !== tokens * moe.topK) {
      throw new UserError('moe.routing.histogram', `counts sum to ${total}, expected tokens × topK = ${tokens * moe.topK}`);
    }
    return { kind: 'histogram', counts };
  }
  throw new UserError('moe.routing', `invalid value ${JSON.stringify(v)}`, 'simulate, uniform, { histogram: [...] }');
}

/** Command-line changes to a design: `--model`, `--part` and `--set PATH=VALUE` (applied in order). */
export interface DesignOverrides {
  readonly model?: string;
  readonly part?: string;
  /** `path=value` pairs; the value is read as YAML (`250` a number, `pingpong` a string). */
  readonly set?: readonly string[];
}

/** Set `path` (dotted) in a plain object, creating the mappings on the way. */
export function setDotted(o: Obj, path: string, v: unknown): void {
  const keys = path.split('.');
  let cur = o;
  for (const k of keys.slice(0, -1)) {
    const next = cur[k];
    if (next === undefined || next === null || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Obj;
  }
  cur[keys[keys.length - 1]!] = v;
}

/**
 * Load and validate a design file (the built-in Edge-MoE point when `path` is undefined) with
 * command-line overrides applied before validation, so an override is checked exactly like the
 * file (and names the same field path in its error).
 */
export function loadDesign(path?: string, overrides: DesignOverrides = {}): DesignPoint {
  const raw = path === undefined ? {} : readStructuredFile(path, 'design');
  const baseDir = path === undefined ? process.cwd() : dirname(resolve(path));
  const hasOverrides = overrides.model !== undefined || overrides.part !== undefined || (overrides.set?.length ?? 0) > 0;
  if (!hasOverrides) return designFromObject(raw, baseDir);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return designFromObject(raw, baseDir);
  const o = structuredClone(raw) as Obj;
  // A model or part file named on the command line is relative to the working directory.
  const fromCwd = (ref: string): string => (/\.(ya?ml|json|onnx)$/i.test(ref) && !isAbsolute(ref) ? resolve(ref) : ref);
  if (overrides.model !== undefined) o.model = fromCwd(overrides.model);
  if (overrides.part !== undefined) o.part = fromCwd(overrides.part);
  for (const kv of overrides.set ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UserError('--set', `'${kv}' is not PATH=VALUE`, 'e.g. clockMHz=250, linear.tileOut=32, types.fm=ap_fixed<24,8>');
    const path = kv.slice(0, eq).trim();
    const text = kv.slice(eq + 1);
    let value: unknown;
    try {
      value = parseYaml(text);
    } catch {
      value = text;
    }
    setDotted(o, path, value === null ? text : value);
  }
  return designFromObject(o, baseDir);
}

/** Plain object form (what a design file holds); `designFromObject(designToObject(d))` equals d. */
export function designToObject(d: DesignPoint): Obj {
  const types: Obj = {};
  for (const c of TENSOR_CLASSES) types[c] = formatFixedType(d.types[c]);
  const routing = d.moe.routing.kind === 'histogram' ? { histogram: [...d.moe.routing.counts] } : d.moe.routing.kind;
  return {
    name: d.name, model: d.modelRef, part: d.part, clockMHz: d.clockMHz, axiBits: d.axiBits,
    linear: { ...d.linear }, attention: { ...d.attention }, types, approx: { ...d.approx },
    gelu: { ...d.gelu }, moe: { task: d.moe.task, routing }, buffers: { ...d.buffers },
  };
}

export function designToYaml(d: DesignPoint): string {
  return toYaml(designToObject(d));
}
