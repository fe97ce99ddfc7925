/**
 * FPGA parts database. (Skeleton: the resource/memory/power figures are filled in by the
 * hardware-model work; every figure carries its source.)
 */
import { UserError } from '../errors.js';

export interface Part {
  readonly id: string;
  readonly board: string;
  /** Full device part number as Vitis HLS wants it. */
  readonly device: string;
  readonly lut: number;
  readonly ff: number;
  readonly dsp: number;
  readonly bram36: number;
  readonly uram: number;
  /** Realistic PL clock range for HLS designs on this speed grade, MHz. */
  readonly clockMHz: { readonly min: number; readonly max: number };
}

const PARTS: Record<string, Part> = {
  // ZCU102: Zynq UltraScale+ XCZU9EG-2FFVB1156E (UG1085 / DS891).
  zcu102: {
    id: 'zcu102', board: 'ZCU102', device: 'xczu9eg-ffvb1156-2-e',
    lut: 274_080, ff: 548_160, dsp: 2_520, bram36: 912, uram: 0, clockMHz: { min: 50, max: 400 },
  },
};

export function partIds(): string[] {
  return Object.keys(PARTS);
}

export function getPart(id: string, field = 'part'): Part {
  const p = PARTS[id.toLowerCase()];
  if (!p) throw new UserError(field, `unknown part '${id}'`, partIds().join(', '));
  return p;
}
