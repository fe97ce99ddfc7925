/**
 * Power and energy: device static power, the host processor, DRAM (background + pJ/byte of the
 * traffic) and the PL's dynamic power from each unit's resources, clock and activity
 * (docs/performance-model.md §6 lists every constant and where it comes from).
 */
import type { DesignPoint } from '../design/types.js';
import type { PowerEstimate, ResourceEstimate } from '../sim/timing/report.js';
import type { Part } from './parts.js';
import { estimateResources } from './resources.js';

/**
 * Dynamic energy coefficients of UltraScale+ (16 nm, VCCINT 0.85 V), µW per MHz (= pJ per
 * cycle) per resource while its unit computes. Derived from switched capacitance, not fitted:
 * a routed net ≈ 0.5 pF toggling on 25 % of cycles (½·C·V² each), a clock pin + leaf ≈ 4 fF
 * toggling twice a cycle, a 27×18 DSP MAC ≈ 3 pJ, a BRAM36 port access ≈ 15 pJ. Each is
 * uncertain by roughly a factor 1.5 (docs/performance-model.md §6).
 */
export const PL_COEFF = {
  dsp: 3.0,
  bram36: 15,
  uram: 25,
  /** Per LUT: its output net (0.25 × ½ × 0.5 pF × 0.85² V²). */
  lut: 0.045,
  /** Per flip-flop: its output net. */
  ff: 0.045,
  /** Clock pin + leaf wiring per flip-flop (always on: HLS designs are not clock-gated). */
  clockPerFf: 0.0029,
  /** Global clock spine and buffers of a design spanning the device. */
  clockBase: 500,
} as const;

/** Idle units still toggle a little (FIFO flags, handshakes, free-running counters). */
export const IDLE_ACTIVITY = 0.05;

export interface Activity {
  /** Seconds per image. */
  readonly seconds: number;
  /** Off-chip bytes per image. */
  readonly offchipBytes: number;
  /** Fraction of the image time each unit computes, 0..1, by unit name (resources' unit names). */
  readonly unitActivity: Readonly<Record<string, number>>;
  /** Resource estimate if already computed (saves recomputing it). */
  readonly resources?: ResourceEstimate;
}

export function estimatePower(design: DesignPoint, part: Part, activity: Activity): PowerEstimate {
  const res = activity.resources ?? estimateResources(design, part);
  const f = design.clockMHz;
  const w = (uwPerMhz: number): number => (uwPerMhz * f) / 1e6;
  let dsp = 0;
  let bram = 0;
  let logic = 0;
  for (const u of res.units) {
    const busy = activity.unitActivity[u.unit] ?? (u.unit === 'axi+control' ? 1 : 0);
    const a = IDLE_ACTIVITY + (1 - IDLE_ACTIVITY) * Math.min(1, Math.max(0, busy));
    dsp += w(PL_COEFF.dsp * u.dsp * a);
    bram += w((PL_COEFF.bram36 * u.bram36 + PL_COEFF.uram * u.uram) * a);
    logic += w((PL_COEFF.lut * u.lut + PL_COEFF.ff * u.ff) * a);
  }
  const clock = w(PL_COEFF.clockPerFf * res.ff + PL_COEFF.clockBase);
  const bytesPerSecond = activity.seconds > 0 ? activity.offchipBytes / activity.seconds : 0;
  const offchip = bytesPerSecond * part.memory.pJPerByte * 1e-12 + part.memory.backgroundW;
  const host = part.hostW;
  const breakdown = { dsp, bram, logic, clock, offchip, host };
  const dynamicW = dsp + bram + logic + clock + offchip + host;
  return { staticW: part.staticW, dynamicW, totalW: part.staticW + dynamicW, breakdown };
}
