/**
 * The fabric a part is built from: device family, speed grade (and core voltage), and the DSP
 * primitive its multipliers map to. The resource model needs the DSP primitive (operand port
 * widths differ by family), the clock model (clock.ts) the family and grade. Figures and their
 * sources: docs/clock.md §2.
 */
import { UserError } from '../errors.js';

export type Family = 'zynq7000' | 'zynqmp' | 'virtexup' | 'versal';
export type DspPrimitive = 'DSP48E1' | 'DSP48E2' | 'DSP58';
export type SpeedGrade = '-1' | '-2' | '-3' | '-1L' | '-2L' | '-2LV';

export interface Fabric {
  readonly family: Family;
  /** Speed grade as in the ordering code; `-2LV` is a −2 die at VCCINT 0.72 V (Kria K26). */
  readonly speedGrade: SpeedGrade;
  readonly dsp: DspPrimitive;
  /** Super logic regions (dies on the interposer); 1 for monolithic parts. */
  readonly slrs: number;
}

export const FAMILIES: readonly Family[] = ['zynq7000', 'zynqmp', 'virtexup', 'versal'];
export const SPEED_GRADES: readonly SpeedGrade[] = ['-1', '-2', '-3', '-1L', '-2L', '-2LV'];
export const DSP_PRIMITIVES: readonly DspPrimitive[] = ['DSP48E1', 'DSP48E2', 'DSP58'];

/** Multiplier port widths (signed bits) of each primitive. */
export const DSP_PORTS: Readonly<Record<DspPrimitive, { readonly a: number; readonly b: number }>> = {
  // 7-series DSP48E1: 25 × 18 two's-complement multiplier (UG479).
  DSP48E1: { a: 25, b: 18 },
  // UltraScale(+) DSP48E2: 27 × 18 (UG579).
  DSP48E2: { a: 27, b: 18 },
  // Versal DSP58: 27 × 24, a strict superset of the DSP48E2 (AM004; AMD conversion methodology,
  // "DSP Slice Architecture"; DS960 FMAX_INT_MULT is quoted for the 27 × 24 multiply).
  DSP58: { a: 27, b: 24 },
};

const FAMILY_DSP: Readonly<Record<Family, DspPrimitive>> = {
  zynq7000: 'DSP48E1', zynqmp: 'DSP48E2', virtexup: 'DSP48E2', versal: 'DSP58',
};

/**
 * Family from the device part number prefix: xc7z (Zynq-7000), xczu / xck26 (Zynq UltraScale+
 * and its Kria SOM), xcu / xcvu (Alveo cards and Virtex UltraScale+ dies), xcv[cmpeh] (Versal).
 */
function familyOf(device: string): Family | undefined {
  const d = device.toLowerCase();
  if (d.startsWith('xc7z')) return 'zynq7000';
  if (d.startsWith('xczu') || d.startsWith('xck2')) return 'zynqmp';
  if (d.startsWith('xcu') || d.startsWith('xcvu')) return 'virtexup';
  if (/^xcv[cmpeh]\d/.test(d)) return 'versal';
  return undefined;
}

/**
 * Speed grade from the ordering code: the `-N[L|LV|MP|…]` field after the package
 * (xczu9eg-ffvb1156-2-e → -2; xck26-sfvc784-2LV-c → -2LV; xcu280-fsvh2892-2L-e → -2L;
 * xcvc1902-vsva2197-2MP-e-S → -2; xc7z020clg400-1 → -1).
 */
function gradeOf(device: string): SpeedGrade | undefined {
  const m = /-(\d)(LV|L|MP|MS|HP|LP|LI|LS|ML|MLI)?(?:-|$)/i.exec(device.replace(/^[^-]*(?=-)/, ''));
  if (!m) return undefined;
  const n = m[1] as '1' | '2' | '3';
  const suffix = (m[2] ?? '').toUpperCase();
  if (suffix === 'LV') return n === '2' ? '-2LV' : undefined;
  if (suffix === 'L') return n === '1' ? '-1L' : n === '2' ? '-2L' : undefined;
  return `-${n}` as SpeedGrade;
}

/**
 * The fabric of a part: its own `fabric` entry when it has one (database parts, custom part files
 * that give it), else inferred from the device part number. A device we cannot classify is a
 * user error naming the field, since the resource and clock models would otherwise guess.
 */
export function fabricOf(part: { readonly device: string; readonly fabric?: Fabric }, field = 'part.fabric'): Fabric {
  if (part.fabric) return part.fabric;
  const family = familyOf(part.device);
  const speedGrade = gradeOf(part.device);
  if (!family || !speedGrade) {
    throw new UserError(field, `cannot tell the family and speed grade of device '${part.device}'`,
      `give fabric: { family: ${FAMILIES.join('|')}, speedGrade: ${SPEED_GRADES.join('|')}, dsp: ${DSP_PRIMITIVES.join('|')}, slrs: N }`);
  }
  return { family, speedGrade, dsp: FAMILY_DSP[family], slrs: 1 };
}

/** The DSP primitive of a part (DSP48E2 for parts that cannot be classified: the historical default). */
export function dspPrimitiveOf(part: { readonly device: string; readonly fabric?: Fabric }): DspPrimitive {
  try {
    return fabricOf(part).dsp;
  } catch {
    return 'DSP48E2';
  }
}

/** Validate a `fabric` mapping of a custom part file. */
export function fabricFromObject(raw: unknown, where: string): Fabric {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new UserError(where, 'must be a mapping');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['family', 'speedGrade', 'dsp', 'slrs'].includes(k)) throw new UserError(`${where}.${k}`, 'unknown field', 'family, speedGrade, dsp, slrs');
  const pick = <T extends string>(k: string, allowed: readonly T[]): T => {
    if (!allowed.includes(o[k] as T)) throw new UserError(`${where}.${k}`, `invalid value ${JSON.stringify(o[k])}`, allowed.join(', '));
    return o[k] as T;
  };
  const family = pick('family', FAMILIES);
  const slrs = o.slrs ?? 1;
  if (typeof slrs !== 'number' || !Number.isInteger(slrs) || slrs < 1 || slrs > 8) throw new UserError(`${where}.slrs`, `must be an integer in 1..8, got ${JSON.stringify(slrs)}`);
  return Object.freeze({
    family, speedGrade: pick('speedGrade', SPEED_GRADES),
    dsp: o.dsp === undefined ? FAMILY_DSP[family] : pick('dsp', DSP_PRIMITIVES), slrs,
  });
}
