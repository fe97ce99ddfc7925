/**
 * Power and energy at three measurement scopes (docs/performance-model.md §6 lists every
 * constant and where it comes from):
 *   chip  = device static + host PS + PL dynamic (each unit's resources × clock × activity);
 *   rails = chip + DRAM (background + pJ/byte of the traffic);
 *   board = rails / regulator efficiency + the board's other loads (part.boardPower).
 * Published accelerator figures mix these scopes; `scope` says which one `totalW` is.
 */
import type { DesignPoint } from '../design/types.js';
import { UserError } from '../errors.js';
import type { PowerEstimate, PowerScope, ResourceEstimate } from './estimates.js';
import type { Part } from '../parts/parts.js';
import { estimateResources } from './resources.js';

export type { PowerScope } from './estimates.js';

export const POWER_SCOPES: readonly PowerScope[] = ['chip', 'rails', 'board'];

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

/**
 * The scope published figures for a part refer to: the whole board where the database knows the
 * board (the ZCU102 calibration point, docs/calibration.md "Power"), else FPGA + DRAM rails.
 */
export function defaultPowerScope(part: Part): PowerScope {
  return part.boardPower ? 'board' : 'rails';
}

/**
 * Power of one design point at `scope` (default: `defaultPowerScope(part)`). Asking for `board`
 * on a part without board data is a user error naming `field`.
 */
export function estimatePower(design: DesignPoint, part: Part, activity: Activity, scope?: PowerScope, field = 'power.scope'): PowerEstimate {
  const want = scope ?? defaultPowerScope(part);
  if (!POWER_SCOPES.includes(want)) throw new UserError(field, `unknown power scope ${JSON.stringify(want)}`, POWER_SCOPES.join(', '));
  const bp = part.boardPower;
  if (want === 'board' && !bp) {
    throw new UserError(field, `part '${part.id}' has no board power data (boardPower), so only chip and rails scopes exist`, 'chip, rails');
  }

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
  const host = part.hostW;
  const chip = part.staticW + dsp + bram + logic + clock + host;

  const bytesPerSecond = activity.seconds > 0 ? activity.offchipBytes / activity.seconds : 0;
  const offchip = bytesPerSecond * part.memory.pJPerByte * 1e-12 + part.memory.backgroundW;
  const rails = chip + offchip;

  // Board: the regulators deliver `rails` at efficiency η, so they draw rails / η; the rest of the
  // board (peripherals, clocks, fan and their converters) is a measured constant.
  const regulators = bp ? rails * (1 / bp.regulatorEfficiency - 1) : 0;
  const peripherals = bp ? bp.peripheralsW : 0;
  const board = bp ? rails + regulators + peripherals : undefined;

  const breakdown: Record<string, number> = { dsp, bram, logic, clock, host };
  if (want !== 'chip') breakdown.offchip = offchip;
  if (want === 'board') {
    breakdown.regulators = regulators;
    breakdown.peripherals = peripherals;
  }
  const totalW = want === 'chip' ? chip : want === 'rails' ? rails : board!;
  return {
    staticW: part.staticW, dynamicW: totalW - part.staticW, totalW, breakdown, scope: want,
    scopes: board === undefined ? { chip, rails } : { chip, rails, board },
  };
}
