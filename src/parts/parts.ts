/**
 * FPGA parts database: fabric resources, the memory system as a PL kernel sees it, realistic clock
 * range and static power. Sources per figure are in docs/performance-model.md §5 ("Parts"); the
 * short tags in the comments name them. A custom part is a YAML/JSON file with the same fields
 * (`loadCustomPart`), validated field by field.
 */
import { isAbsolute, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { readStructuredFile } from '../model/file.js';
import { fabricFromObject, type Fabric } from './fabric.js';

export type MemoryKind = 'DDR3' | 'DDR4' | 'LPDDR4' | 'HBM2';

export interface MemorySystem {
  readonly kind: MemoryKind;
  /** Independent DRAM channels (DDR4 controllers, HBM pseudo-channels). */
  readonly channels: number;
  /** Theoretical peak of all channels, GB/s (1e9 B/s). */
  readonly peakGBps: number;
  /** Practically achievable by PL masters with long bursts, all channels together, GB/s. */
  readonly practicalGBps: number;
  /** AXI slave ports the kernel's m_axi bundles can be mapped to (HP/HPC ports, memory banks, HBM PCs). */
  readonly ports: number;
  /** Data width of one such port, bits, and the highest clock it runs at, MHz. */
  readonly portBits: number;
  readonly portMaxMHz: number;
  /** Fraction of a port's raw beat rate it sustains on long sequential bursts (DRAM-side losses). */
  readonly portEfficiency: number;
  /** Idle read latency from a PL master's request to the first data beat, ns. */
  readonly latencyNs: number;
  /** Off-chip access energy (DRAM core + I/O + PHY), pJ per byte moved. */
  readonly pJPerByte: number;
  /** Background power of the DRAM devices while the accelerator runs, W. */
  readonly backgroundW: number;
}

/**
 * What a board-level reading (power at the board's input connector, e.g. a meter on the 12 V
 * supply or the ZCU104's 12 V PMBus monitor) adds around the FPGA package and its DRAM
 * (docs/performance-model.md §6.2; sources and uncertainties of each part's figures in §5).
 */
export interface BoardPower {
  /** Efficiency of the regulators that make the FPGA and DRAM rails from the input supply, 0..1. */
  readonly regulatorEfficiency: number;
  /**
   * Everything else the board draws at its input while the accelerator runs: peripherals
   * (PHYs, USB, clock generators, system controller), the fan, and the losses of their
   * converters, W. Derived from an idle board measurement minus its FPGA + DRAM rails.
   */
  readonly peripheralsW: number;
}

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
  readonly memory: MemorySystem;
  /** Device static power (PL + PS) at a ~50 °C junction, W. */
  readonly staticW: number;
  /** Power of the hard processor system while it runs the host program (0 for PCIe cards), W. */
  readonly hostW: number;
  /** Board-level terms; absent when no measurement of the board is known (board scope unavailable). */
  readonly boardPower?: BoardPower;
  /**
   * Family, speed grade, DSP primitive and die count (src/hw/fabric.ts); custom parts may omit it
   * and have it inferred from `device`.
   */
  readonly fabric?: Fabric;
}

/** ZynqMP PS: six 128-bit S_AXI_HP{0..3}/HPC{0,1} ports, ≤ 333 MHz, AXI3 16-beat bursts (UG1085 ch. 35). */
function zynqmpPs(kind: MemoryKind, dataBits: number, mtps: number, practicalFraction: number, pJPerByte: number, backgroundW: number): MemorySystem {
  const peakGBps = (dataBits / 8) * mtps / 1000;
  return {
    kind, channels: 1, peakGBps, practicalGBps: peakGBps * practicalFraction, ports: 6, portBits: 128, portMaxMHz: 333,
    // One HP port moves at most 128 bit × f, 3–4× less than the DRAM: its 128-entry FIFOs absorb
    // refresh and page misses, so a single port streams at full rate (aggregate limit applies separately).
    portEfficiency: 1, latencyNs: 200, pJPerByte, backgroundW,
  };
}

const DDR4_PRACTICAL = 0.8;

/**
 * ZynqMP PS running a user-space host program under Linux (APU mostly waiting on the
 * accelerator, DDR controller + PHY, PLLs), measured on a ZCU102 as the sum of its PS INA226
 * rails: 1.6–2.2 W [rtas22-dart-design power logs], of which ≈ 0.2 W is PS leakage also counted
 * in `staticW` (within the ±0.3 W uncertainty). Replaces the 2.7 W of Vivado's vectorless PS8
 * estimate, which assumes busy cores.
 */
const ZYNQMP_HOST_W = 2.0;

/** 12 V → 0.85–1.8 V point-of-load buck regulators at light-to-moderate load: 0.80–0.90 (vendor efficiency curves). */
const POL_EFFICIENCY = 0.85;

/**
 * Non-FPGA load of a Xilinx ZCU10x evaluation board at its 12 V input, from the ZCU104 PMBus
 * reading in the PYNQ repository (boards/ZCU104/notebooks/common/zcu104_pmbus.ipynb): 13.8 W at
 * 12 V idle, of which the FPGA + DRAM rails (INT 3.50, 1V2 0.28, 1V13 0.22, MGTA 0.11,
 * MGTRA 0.03 W) are 4.14 W → 13.8 − 4.14 / 0.85 = 8.9 W (8.2–9.5 W with the 1V8 rail's
 * attribution and η = 0.80–0.90). The 3V3 (2.0 W) and 1V8 rails feed mostly peripherals.
 */
const ZCU10X_PERIPHERALS_W = 8.9;

const PARTS: Record<string, Part> = {
  // [DS891] XCZU9EG; [UG1182] ZCU102, -2 speed grade; PS DDR4 64-bit at DDR4-2133 (board preset).
  zcu102: {
    id: 'zcu102', board: 'ZCU102', device: 'xczu9eg-ffvb1156-2-e',
    lut: 274_080, ff: 548_160, dsp: 2_520, bram36: 912, uram: 0, clockMHz: { min: 50, max: 400 },
    memory: zynqmpPs('DDR4', 64, 2133, DDR4_PRACTICAL, 120, 0.6), staticW: 0.9, hostW: ZYNQMP_HOST_W,
    // No 12 V measurement of a ZCU102 found: the ZCU104's figure stands in. The ZCU102 carries more
    // (2 FMC, 4 SFP+, SATA, PL DDR4, more clock generators), so this is likely a lower bound (−1/+4 W).
    boardPower: { regulatorEfficiency: POL_EFFICIENCY, peripheralsW: ZCU10X_PERIPHERALS_W },
 
    fabric: { family: 'zynqmp', speedGrade: '-2', dsp: 'DSP48E2', slrs: 1 },
  },
  // [DS891] XCZU7EV; [UG1267] ZCU104, PS DDR4 64-bit components at DDR4-2400.
  zcu104: {
    id: 'zcu104', board: 'ZCU104', device: 'xczu7ev-ffvc1156-2-e',
    lut: 230_400, ff: 460_800, dsp: 1_728, bram36: 312, uram: 96, clockMHz: { min: 50, max: 400 },
    memory: zynqmpPs('DDR4', 64, 2400, DDR4_PRACTICAL, 120, 0.4), staticW: 0.8, hostW: ZYNQMP_HOST_W,
    boardPower: { regulatorEfficiency: POL_EFFICIENCY, peripheralsW: ZCU10X_PERIPHERALS_W },
 
    fabric: { family: 'zynqmp', speedGrade: '-2', dsp: 'DSP48E2', slrs: 1 },
  },
  // [DS987/UG1089] Kria K26 SOM (KV260 starter kit): XCK26, -2LV grade (0.72 V: lower fmax), 4 GB DDR4 64-bit 2400.
  kv260: {
    id: 'kv260', board: 'KV260', device: 'xck26-sfvc784-2LV-c',
    lut: 117_120, ff: 234_240, dsp: 1_248, bram36: 144, uram: 64, clockMHz: { min: 50, max: 333 },
    memory: zynqmpPs('DDR4', 64, 2400, DDR4_PRACTICAL, 120, 0.4), staticW: 0.6, hostW: ZYNQMP_HOST_W,
    // KV260 at its 12 V input: 9.15 W idle, 10.13 W with the DPU running [Simfero 2026]; the K26 SOM
    // alone 4.3–4.8 W under load (≈ 3.6 W idle) → 9.15 − 3.6 / 0.85 = 4.9 W (±1 W).
    boardPower: { regulatorEfficiency: POL_EFFICIENCY, peripheralsW: 4.9 },
 
    fabric: { family: 'zynqmp', speedGrade: '-2LV', dsp: 'DSP48E2', slrs: 1 },
  },
  // [DS891] XCZU3EG; Ultra96-V2 (Avnet): -1 speed grade, 2 GB LPDDR4 32-bit at 2133 MT/s.
  ultra96v2: {
    id: 'ultra96v2', board: 'Ultra96-V2', device: 'xczu3eg-sbva484-1-i',
    lut: 70_560, ff: 141_120, dsp: 360, bram36: 216, uram: 0, clockMHz: { min: 50, max: 300 },
    memory: zynqmpPs('LPDDR4', 32, 2133, DDR4_PRACTICAL, 64, 0.15), staticW: 0.35, hostW: 1.8,
 
    fabric: { family: 'zynqmp', speedGrade: '-1', dsp: 'DSP48E2', slrs: 1 },
  },
  // [DS965] Alveo U50: XCU50, 8 GB HBM2, 32 pseudo-channels, 316 GB/s; kernels at 300 MHz (platform default).
  u50: {
    id: 'u50', board: 'Alveo U50', device: 'xcu50-fsvh2104-2-e',
    lut: 872_000, ff: 1_743_000, dsp: 5_952, bram36: 1_344, uram: 640, clockMHz: { min: 100, max: 400 },
    memory: {
      kind: 'HBM2', channels: 32, peakGBps: 316, practicalGBps: 316 * 0.85, ports: 32, portBits: 256, portMaxMHz: 308,
      portEfficiency: 0.85, latencyNs: 300, pJPerByte: 31, backgroundW: 2,
    },
    staticW: 8, hostW: 0,
 
    fabric: { family: 'virtexup', speedGrade: '-2', dsp: 'DSP48E2', slrs: 2 },
  },
  // [DS962] Alveo U250: XCU250, 4 × DDR4-2400 72-bit (64 data bits) banks, 77 GB/s.
  u250: {
    id: 'u250', board: 'Alveo U250', device: 'xcu250-figd2104-2L-e',
    lut: 1_728_000, ff: 3_456_000, dsp: 12_288, bram36: 2_688, uram: 1_280, clockMHz: { min: 100, max: 400 },
    memory: {
      kind: 'DDR4', channels: 4, peakGBps: 77, practicalGBps: 77 * DDR4_PRACTICAL, ports: 4, portBits: 512, portMaxMHz: 300,
      portEfficiency: DDR4_PRACTICAL, latencyNs: 250, pJPerByte: 120, backgroundW: 6,
    },
    staticW: 15, hostW: 0,
 
    fabric: { family: 'virtexup', speedGrade: '-2L', dsp: 'DSP48E2', slrs: 4 },
  },
  // [DS962] Alveo U280: XCU280, 8 GB HBM2 at 460 GB/s (32 PCs × 14.375 GB/s, UG1393) + 2 × DDR4 (38 GB/s, unused here).
  u280: {
    id: 'u280', board: 'Alveo U280', device: 'xcu280-fsvh2892-2L-e',
    lut: 1_304_000, ff: 2_607_000, dsp: 9_024, bram36: 2_016, uram: 960, clockMHz: { min: 100, max: 400 },
    memory: {
      kind: 'HBM2', channels: 32, peakGBps: 460, practicalGBps: 460 * 0.85, ports: 32, portBits: 256, portMaxMHz: 450,
      portEfficiency: 0.85, latencyNs: 300, pJPerByte: 31, backgroundW: 3,
    },
    staticW: 12, hostW: 0,
 
    fabric: { family: 'virtexup', speedGrade: '-2L', dsp: 'DSP48E2', slrs: 3 },
  },
  // [DS978/UG1469] Alveo U55C: XCU55C (the U280's die, 3 SLRs), 16 GB HBM2 in 32 pseudo-channels of
  // 512 MB, 14.375 GB/s each = 460 GB/s (UG1393 "HBM Configuration and Use"); no DDR on the card.
  u55c: {
    id: 'u55c', board: 'Alveo U55C', device: 'xcu55c-fsvh2892-2L-e',
    lut: 1_304_000, ff: 2_607_000, dsp: 9_024, bram36: 2_016, uram: 960, clockMHz: { min: 100, max: 400 },
    memory: {
      kind: 'HBM2', channels: 32, peakGBps: 460, practicalGBps: 460 * 0.85, ports: 32, portBits: 256, portMaxMHz: 450,
      portEfficiency: 0.85, latencyNs: 300, pJPerByte: 31, backgroundW: 4,
    },
    staticW: 12, hostW: 0,
    fabric: { family: 'virtexup', speedGrade: '-2L', dsp: 'DSP48E2', slrs: 3 },
  },
  // [DS950/UG1366] VCK190: XCVC1902 programmable logic only — the 400 AI Engines are NOT modelled
  // (no vitforge unit maps to them). 1,968 DSP58 (UG1702 platforminfo of xilinx_vck190_base).
  // PL memory: the 8 GB DDR4-3200 64-bit UDIMM through the NoC (25.6 GB/s); the 8 GB LPDDR4 is
  // not used here. NoC ports: 4 NMUs of 128 bits assumed (docs/performance-model.md §5).
  vck190: {
    id: 'vck190', board: 'VCK190 (PL only)', device: 'xcvc1902-vsva2197-2MP-e-S',
    lut: 899_840, ff: 1_799_680, dsp: 1_968, bram36: 967, uram: 463, clockMHz: { min: 50, max: 500 },
    memory: {
      kind: 'DDR4', channels: 1, peakGBps: 25.6, practicalGBps: 25.6 * DDR4_PRACTICAL, ports: 4, portBits: 128, portMaxMHz: 500,
      portEfficiency: 1, latencyNs: 250, pJPerByte: 120, backgroundW: 1,
    },
    staticW: 4, hostW: 2.5,
    fabric: { family: 'versal', speedGrade: '-2', dsp: 'DSP58', slrs: 1 },
  },
  // [DS190/DS187] XC7Z020-1 (Artix-7 fabric): 53,200 LUT, 106,400 FF, 220 DSP48E1, 140 BRAM36. Board
  // memory as in Digilent's PYNQ-Z1 reference manual (same SoC and memory on TUL's PYNQ-Z2): 512 MB
  // DDR3, 16-bit at 1050 MT/s = 2.1 GB/s, reached from the PL over four 64-bit S_AXI_HP ports (UG585).
  pynqz2: {
    id: 'pynqz2', board: 'PYNQ-Z2', device: 'xc7z020clg400-1',
    lut: 53_200, ff: 106_400, dsp: 220, bram36: 140, uram: 0, clockMHz: { min: 25, max: 200 },
    memory: {
      // UG585 quotes ≈ 75 % as the Zynq-7000 DDR controller's best efficiency; the HP port runs
      // at the PL clock (150 MHz is the −1 Artix-7 AXI4 fmax of PG067): 64 b × 150 MHz = 1.2 GB/s.
      kind: 'DDR3', channels: 1, peakGBps: 2.1, practicalGBps: 2.1 * 0.75, ports: 4, portBits: 64, portMaxMHz: 150,
      portEfficiency: 1, latencyNs: 250, pJPerByte: 160, backgroundW: 0.3,
    },
    staticW: 0.15, hostW: 1.5,
    fabric: { family: 'zynq7000', speedGrade: '-1', dsp: 'DSP48E1', slrs: 1 },
  },
};

export function partIds(): string[] {
  return Object.keys(PARTS);
}

/** Custom parts loaded from files, by absolute path (so a design can be evaluated without I/O). */
const CUSTOM = new Map<string, Part>();

/** Whether a `part` value names a file rather than a database id. */
export function isPartPath(ref: string): boolean {
  return /\.(ya?ml|json)$/i.test(ref) || ref.includes('/') || ref.includes('\\');
}

/**
 * A database part by id (case-insensitive), or a custom part file by path (loaded once, then
 * cached by absolute path). Errors name `field`.
 */
export function getPart(idOrPath: string, field = 'part'): Part {
  const p = PARTS[idOrPath.toLowerCase()];
  if (p) return p;
  if (isPartPath(idOrPath)) {
    const abs = isAbsolute(idOrPath) ? idOrPath : resolve(idOrPath);
    return CUSTOM.get(abs) ?? loadCustomPart(abs, field);
  }
  throw new UserError(field, `unknown part '${idOrPath}'`, `${partIds().join(', ')}, or a part .yaml file`);
}

type Obj = Record<string, unknown>;

function num(o: Obj, key: string, where: string, min: number, max: number, integer = false): number {
  const v = o[key];
  const field = `${where}.${key}`;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new UserError(field, `must be ${integer ? 'an integer' : 'a number'} in ${min}..${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function mapping(v: unknown, field: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new UserError(field, 'must be a mapping');
  return v as Obj;
}

function onlyKeys(o: Obj, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new UserError(`${where}.${k}`, 'unknown field', allowed.join(', '));
}

/** Validate a parsed custom-part object (fields as in `Part`; `where` prefixes error fields). */
export function partFromObject(raw: unknown, where = 'part'): Part {
  const o = mapping(raw, where);
  onlyKeys(o, ['id', 'board', 'device', 'lut', 'ff', 'dsp', 'bram36', 'uram', 'clockMHz', 'memory', 'staticW', 'hostW', 'boardPower', 'fabric'], where);
  for (const k of ['id', 'board', 'device'] as const) {
    if (typeof o[k] !== 'string' || !(o[k] as string).trim()) throw new UserError(`${where}.${k}`, 'must be a non-empty string');
  }
  const clk = mapping(o.clockMHz, `${where}.clockMHz`);
  onlyKeys(clk, ['min', 'max'], `${where}.clockMHz`);
  const min = num(clk, 'min', `${where}.clockMHz`, 1, 1000);
  const max = num(clk, 'max', `${where}.clockMHz`, min, 1000);
  const m = mapping(o.memory, `${where}.memory`);
  const mw = `${where}.memory`;
  onlyKeys(m, ['kind', 'channels', 'peakGBps', 'practicalGBps', 'ports', 'portBits', 'portMaxMHz', 'portEfficiency', 'latencyNs', 'pJPerByte', 'backgroundW'], mw);
  const kinds: MemoryKind[] = ['DDR3', 'DDR4', 'LPDDR4', 'HBM2'];
  if (!kinds.includes(m.kind as MemoryKind)) throw new UserError(`${mw}.kind`, `invalid value ${JSON.stringify(m.kind)}`, kinds.join(', '));
  const peakGBps = num(m, 'peakGBps', mw, 0.1, 10_000);
  const portBits = num(m, 'portBits', mw, 32, 1024, true);
  if (![32, 64, 128, 256, 512, 1024].includes(portBits)) throw new UserError(`${mw}.portBits`, `invalid width ${portBits}`, '32, 64, 128, 256, 512, 1024');
  const memory: MemorySystem = {
    kind: m.kind as MemoryKind,
    channels: num(m, 'channels', mw, 1, 1024, true),
    peakGBps,
    practicalGBps: num(m, 'practicalGBps', mw, 0.01, peakGBps),
    ports: num(m, 'ports', mw, 1, 1024, true),
    portBits,
    portMaxMHz: num(m, 'portMaxMHz', mw, 1, 2000),
    portEfficiency: num(m, 'portEfficiency', mw, 0.01, 1),
    latencyNs: num(m, 'latencyNs', mw, 0, 10_000),
    pJPerByte: num(m, 'pJPerByte', mw, 0, 10_000),
    backgroundW: num(m, 'backgroundW', mw, 0, 1_000),
  };
  let boardPower: BoardPower | undefined;
  if (o.boardPower !== undefined) {
    const bw = `${where}.boardPower`;
    const b = mapping(o.boardPower, bw);
    onlyKeys(b, ['regulatorEfficiency', 'peripheralsW'], bw);
    boardPower = Object.freeze({
      regulatorEfficiency: num(b, 'regulatorEfficiency', bw, 0.05, 1),
      peripheralsW: num(b, 'peripheralsW', bw, 0, 10_000),
    });
  }
  return Object.freeze({
    id: String(o.id), board: String(o.board), device: String(o.device),
    lut: num(o, 'lut', where, 1, 1e8, true), ff: num(o, 'ff', where, 1, 1e8, true), dsp: num(o, 'dsp', where, 0, 1e6, true),
    bram36: num(o, 'bram36', where, 0, 1e6, true), uram: num(o, 'uram', where, 0, 1e6, true),
    clockMHz: { min, max }, memory: Object.freeze(memory),
    staticW: num(o, 'staticW', where, 0, 1_000), hostW: num(o, 'hostW', where, 0, 1_000),
    ...(boardPower ? { boardPower } : {}),
    ...(o.fabric !== undefined ? { fabric: fabricFromObject(o.fabric, `${where}.fabric`) } : {}),
  });
}

/** Load, validate and cache a custom part file (YAML or JSON). */
export function loadCustomPart(path: string, field = 'part'): Part {
  const abs = isAbsolute(path) ? path : resolve(path);
  const raw = readStructuredFile(abs, field);
  let part: Part;
  try {
    part = partFromObject(raw, 'part');
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${field} (${abs}): ${e.field}`, e.message, e.allowed);
    throw e;
  }
  CUSTOM.set(abs, part);
  return part;
}

/** Parts in the database, in listing order. */
export function allParts(): readonly Part[] {
  return Object.values(PARTS);
}
