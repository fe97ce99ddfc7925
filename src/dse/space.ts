/**
 * The design space: one dimension per design-file parameter (dotted path such as `linear.tileIn`
 * or `types.fm`), each with a finite list of values. A point is the vector of value indices; it
 * becomes a design object by writing those values into the base design object, and a design point
 * through the ordinary `designFromObject` validation (so the DSE never accepts a design that
 * `simulate`/`generate` would reject).
 *
 * Every leaf of the design file except `name`, `model`, `part` and `moe.*` (identity, and the
 * routing assumption, which is not a hardware choice) is a searchable parameter — including fields
 * other modules add to the schema later.
 */
import { UserError } from '../errors.js';
import { designFromObject, designToObject } from '../design/load.js';
import type { DesignPoint } from '../design/types.js';
import { formatFixedType, parseFixedType } from '../fixed/type.js';
import { lightDesignClock } from '../hw/clock.js';
import type { Part } from '../parts/parts.js';
import { modelDims, type ModelSpec } from '../model/ir.js';

export type ParamValue = number | string;
type Obj = Record<string, unknown>;

export interface Dimension {
  /** Dotted design-file path, e.g. `linear.tileIn`. */
  readonly name: string;
  readonly values: readonly ParamValue[];
}

export interface Space {
  readonly dims: readonly Dimension[];
  /** Design object every point starts from (name, model, part and every parameter not searched). */
  readonly base: Readonly<Obj>;
  /** Number of points (a float: may exceed 2^53 for very wide spaces). */
  readonly size: number;
}

/** Parameters that identify the design rather than choose hardware. */
const NOT_SEARCHABLE = ['name', 'model', 'part'];
const NOT_SEARCHABLE_PREFIX = ['moe.'];

/** Every searchable dotted path of a design object, with its current value. */
export function searchableParams(designObj: Obj): Map<string, ParamValue> {
  const out = new Map<string, ParamValue>();
  const walk = (o: Obj, prefix: string): void => {
    for (const [k, v] of Object.entries(o)) {
      const path = prefix + k;
      if (NOT_SEARCHABLE.includes(path) || NOT_SEARCHABLE_PREFIX.some((p) => path.startsWith(p))) continue;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v as Obj, path + '.');
      else if (typeof v === 'number' || typeof v === 'string') out.set(path, v);
    }
  };
  walk(designObj, '');
  return out;
}

export function getPath(o: Obj, path: string): unknown {
  let cur: unknown = o;
  for (const k of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Obj)[k] : undefined;
  return cur;
}

export { setDotted as setPath } from '../design/load.js';
import { setDotted as setPath } from '../design/load.js';

function divisorsOf(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

function commonDivisors(ns: readonly number[]): number[] {
  return divisorsOf(ns[0]!).filter((d) => ns.every((n) => n % d === 0));
}

/** Linear input / output widths every tile size must divide (the rule of design/load.ts). */
export function linearWidths(model: ModelSpec): { inputs: number[]; outputs: number[] } {
  const dims = modelDims(model);
  const hiddens = [...new Set(model.blocks.map((b) => b.hidden))];
  return { inputs: [dims.patchK, model.dim, ...hiddens], outputs: [model.dim, 3 * model.dim, ...hiddens] };
}

/** `ap_fixed<W,I,...>` with W replaced, keeping sign, integer bits and modes of `base`. */
export function withWidth(baseType: string, W: number, I?: number, field = 'type'): string {
  const t = parseFixedType(baseType, field);
  const ii = I ?? t.I;
  const q = t.q !== 'AP_TRN' || t.o !== 'AP_WRAP' || t.n !== 0 ? `,${t.q}` : '';
  const o = t.o !== 'AP_WRAP' || t.n !== 0 ? `,${t.o}` : '';
  const n = t.n !== 0 ? `,${Math.min(t.n, W)}` : '';
  return formatFixedType(parseFixedType(`${t.signed ? 'ap_fixed' : 'ap_ufixed'}<${W},${ii}${q}${o}${n}>`, field));
}

/** Allowed values of a text parameter, read from the design validator's own UserError. */
export function allowedValues(designObj: Obj, name: string): string[] | undefined {
  const o = structuredClone(designObj);
  setPath(o, name, '\u0000probe');
  try {
    designFromObject(o);
  } catch (e) {
    if (e instanceof UserError && e.field === name && e.allowed) return e.allowed.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
  }
  return undefined;
}

/**
 * Default clock values: steps of 25 MHz from half to all of the attainable clock of a lightly used
 * design on the part (src/hw/clock.ts; utilisation only lowers it, so no point above this list can
 * be feasible), within the part's range. With `optimistic`, the pre-model list: 200–400 MHz in
 * steps of 50 within the part's range.
 */
export function defaultClocks(part: Part, optimistic = false): number[] {
  const out: number[] = [];
  if (optimistic) {
    for (let f = 200; f <= 400; f += 50) if (f >= part.clockMHz.min && f <= part.clockMHz.max) out.push(f);
    return out;
  }
  const top = lightDesignClock(part).mhz;
  const lo = Math.max(part.clockMHz.min, 25 * Math.floor(top / 2 / 25));
  const hi = Math.min(part.clockMHz.max, 25 * Math.floor(top / 25));
  for (let f = 25 * Math.ceil(lo / 25); f <= hi; f += 25) out.push(f);
  return out;
}

/**
 * The default space for a base design: the hardware knobs that move latency, energy and
 * resources (clock within the part's range, AXI width, tile sizes that divide every linear width,
 * attention parallelism, dot tile dividing the head width, buffer organisation). Data types
 * only vary when the accuracy is measured (`withTypes`): without an error objective narrower types
 * would always win and the front would be meaningless.
 */
export function defaultSpaceLists(design: DesignPoint, part: Part, withTypes: boolean, optimisticClock = false): Map<string, ParamValue[]> {
  const lists = new Map<string, ParamValue[]>();
  const clocks = defaultClocks(part, optimisticClock);
  if (!clocks.includes(design.clockMHz)) clocks.push(design.clockMHz);
  lists.set('clockMHz', clocks.sort((a, b) => a - b));
  lists.set('axiBits', [128, 256, 512]);
  const w = linearWidths(design.model);
  lists.set('linear.tileIn', commonDivisors(w.inputs).filter((d) => d >= 4 && d <= 64));
  lists.set('linear.tileOut', commonDivisors(w.outputs).filter((d) => d >= 4 && d <= 64));
  const dims = modelDims(design.model);
  lists.set('attention.parallel', [1, 2, 4, 8, 16].filter((p) => p <= dims.tokens));
  lists.set('attention.dotTile', divisorsOf(dims.headDim).filter((d) => d >= 4 && d <= 32));
  // Buffer placement/organisation choices: every `buffers.*` field of the schema, with the values
  // its validator allows (so a field added to the schema is searched without a change here).
  const designObj = designToObject(design);
  for (const [name, v] of searchableParams(designObj)) {
    if (!name.startsWith('buffers.') || typeof v !== 'string') continue;
    const allowed = allowedValues(designObj, name);
    if (allowed) lists.set(name, allowed);
  }
  if (withTypes) {
    const t = designObj.types as Record<string, string>;
    lists.set('types.fm', [16, 24, 32].map((W) => withWidth(t.fm!, W)));
    lists.set('types.linearWeight', [8, 12, 16].map((W) => withWidth(t.linearWeight!, W)));
    lists.set('types.accum', [24, 32].map((W) => withWidth(t.accum!, W)));
  }
  // A default list that cannot hold the base value (e.g. a base tile outside 4..64) gets it added,
  // so the base design is always a point of the default space.
  const baseParams = searchableParams(designObj);
  for (const [name, values] of lists) {
    const b = baseParams.get(name);
    if (b !== undefined && !values.includes(b)) values.push(b);
    if (values.every((v) => typeof v === 'number')) (values as number[]).sort((x, y) => x - y);
  }
  return lists;
}

/** Expand one parameter's value spec from a space file. */
export function expandValues(spec: unknown, name: string, baseValue: ParamValue): ParamValue[] {
  const field = `space.params.${name}`;
  const isType = typeof baseValue === 'string' && name.startsWith('types.');
  const canon = (v: unknown): ParamValue => {
    if (isType) {
      if (typeof v === 'number') return withWidth(baseValue as string, v, undefined, field);
      return formatFixedType(parseFixedType(String(v), field));
    }
    if (typeof baseValue === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new UserError(field, `${JSON.stringify(v)} is not a number`);
      return v;
    }
    if (typeof v !== 'string' && typeof v !== 'number') throw new UserError(field, `${JSON.stringify(v)} is not a value`);
    return String(v);
  };
  let values: ParamValue[];
  if (Array.isArray(spec)) values = spec.map(canon);
  else if (spec !== null && typeof spec === 'object') {
    const o = spec as Obj;
    if ('widths' in o) {
      if (!isType) throw new UserError(field, '`widths` only applies to types.* parameters');
      const ws = o.widths;
      if (!Array.isArray(ws)) throw new UserError(`${field}.widths`, 'must be a list of bit widths');
      const I = o.int === undefined ? undefined : Number(o.int);
      values = ws.map((W) => withWidth(baseValue as string, Number(W), I, field));
    } else if ('from' in o || 'to' in o) {
      const from = Number(o.from), to = Number(o.to), step = Number(o.step ?? 1);
      if (![from, to, step].every(Number.isFinite) || step <= 0 || to < from) {
        throw new UserError(field, 'range needs numbers from ≤ to and step > 0', '{ from: A, to: B, step: S }');
      }
      values = [];
      for (let i = 0; from + i * step <= to + 1e-9 * Math.abs(step); i++) values.push(canon(from + i * step));
      if (values.length > 100_000) throw new UserError(field, `range has ${values.length} values (at most 100000)`);
    } else if ('pow2' in o) {
      const r = o.pow2;
      if (!Array.isArray(r) || r.length !== 2 || !(Number(r[0]) > 0) || !(Number(r[1]) >= Number(r[0]))) {
        throw new UserError(field, 'pow2 needs [low, high] with 0 < low ≤ high', '{ pow2: [4, 64] }');
      }
      values = [];
      for (let p = 2 ** Math.ceil(Math.log2(Number(r[0]))); p <= Number(r[1]); p *= 2) values.push(canon(p));
    } else if ('values' in o) {
      return expandValues(o.values, name, baseValue);
    } else {
      throw new UserError(field, 'unknown value spec', 'a list, a single value, { from, to, step }, { pow2: [lo, hi] }, { widths: [...] } (types)');
    }
  } else values = [canon(spec)];
  const unique = [...new Set(values)];
  if (unique.length === 0) throw new UserError(field, 'has no values (empty space)');
  return unique;
}

/** Flatten `params` of a space file: nested mappings or dotted keys, both accepted. */
function flattenParams(raw: Obj, known: Map<string, ParamValue>, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(raw)) {
    const path = prefix + k;
    if (known.has(path)) out.set(path, v);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && [...known.keys()].some((p) => p.startsWith(path + '.'))) {
      for (const [p, s] of flattenParams(v as Obj, known, path + '.')) out.set(p, s);
    } else {
      throw new UserError(`space.params.${path}`, 'unknown parameter', [...known.keys()].join(', '));
    }
  }
  return out;
}

export interface SpaceOptions {
  /** Parsed `params` mapping of a space file (undefined: the default space). */
  readonly params?: Obj;
  /** `default`: unlisted parameters keep their default lists; `fixed`: they stay at the base value. */
  readonly others?: 'default' | 'fixed';
  /** Whether the default lists include data types (the accuracy is measured). */
  readonly withTypes: boolean;
  /** Default clock list from the part's range instead of the attainable-clock model. */
  readonly optimisticClock?: boolean;
}

/** Build the space around a validated base design. */
export function buildSpace(base: DesignPoint, part: Part, opts: SpaceOptions): Space {
  const baseObj = designToObject(base);
  const known = searchableParams(baseObj);
  const lists = opts.others === 'fixed' ? new Map<string, ParamValue[]>() : defaultSpaceLists(base, part, opts.withTypes, opts.optimisticClock);
  if (opts.params) {
    for (const [name, spec] of flattenParams(opts.params, known)) lists.set(name, expandValues(spec, name, known.get(name)!));
  }
  const dims: Dimension[] = [];
  for (const name of known.keys()) {
    const values = lists.get(name);
    if (values && values.length > 1) dims.push({ name, values });
    else if (values && values.length === 1) setPath(baseObj, name, values[0]);
  }
  const space: Space = { dims, base: baseObj, size: dims.reduce((s, d) => s * d.values.length, 1) };
  checkEveryDimension(space);
  return space;
}

/**
 * A dimension none of whose values is valid on its own (with the base's other values) makes the
 * whole space empty: reject it up front, naming the parameter and the first reason. Values that
 * are only invalid in combination are rejected per point later, with the reason counted.
 */
function checkEveryDimension(space: Space): void {
  try {
    designFromObject(space.base);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`space.${e.field}`, `the fixed parameters do not form a valid design: ${e.message}`, e.allowed);
    throw e;
  }
  for (const d of space.dims) {
    let firstReason = '';
    const ok = d.values.some((v) => {
      const o = structuredClone(space.base) as Obj;
      setPath(o, d.name, v);
      try {
        designFromObject(o);
        return true;
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        firstReason ||= e.oneLine();
        return false;
      }
    });
    if (!ok) throw new UserError(`space.params.${d.name}`, `no value gives a valid design (empty space): ${firstReason}`);
  }
}

/** The design object of a point. */
export function pointObject(space: Space, idx: ArrayLike<number>): Obj {
  const o = structuredClone(space.base) as Obj;
  for (let i = 0; i < space.dims.length; i++) setPath(o, space.dims[i]!.name, space.dims[i]!.values[idx[i]!]);
  return o;
}

/** The parameter values of a point, by dimension name. */
export function pointParams(space: Space, idx: ArrayLike<number>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (let i = 0; i < space.dims.length; i++) out[space.dims[i]!.name] = space.dims[i]!.values[idx[i]!]!;
  return out;
}

export function pointKey(idx: ArrayLike<number>): string {
  return Array.prototype.join.call(idx, '.');
}

/** Index vector of the base design (nearest value for a dimension that does not list it). */
export function baseIndex(space: Space): Int32Array {
  const idx = new Int32Array(space.dims.length);
  space.dims.forEach((d, i) => {
    const b = getPath(space.base, d.name);
    const exact = d.values.indexOf(b as ParamValue);
    if (exact >= 0) idx[i] = exact;
    else if (typeof b === 'number') {
      let best = 0;
      d.values.forEach((v, j) => { if (Math.abs((v as number) - b) < Math.abs((d.values[best] as number) - b)) best = j; });
      idx[i] = best;
    }
  });
  return idx;
}

/** Point `n` (0 ≤ n < size) in mixed-radix order, the last dimension varying fastest. */
export function pointAt(space: Space, n: number): Int32Array {
  const idx = new Int32Array(space.dims.length);
  for (let i = space.dims.length - 1; i >= 0; i--) {
    const r = space.dims[i]!.values.length;
    idx[i] = n % r;
    n = Math.floor(n / r);
  }
  return idx;
}
