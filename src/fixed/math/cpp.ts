/**
 * C++ text for the math units: the named types, constants and tables that vf_math.h uses
 * (mathTablesCpp, pasted between the GENERATED markers of templates/hls/include/vf_math.h and
 * checked by test/fixed/math/tables.test.ts) and a design's GELU delta table (geluTableCpp,
 * emitted by the HLS generator). Values are written as decimal literals of the exact doubles
 * raw·2^-F, which C++ parses back to the same double and ap_fixed converts without rounding.
 */
import { formatFixedType, type FixedType } from '../type.js';
import type { GeluTable } from './gelu.js';
import { mathTables } from './tables.js';
import * as T from './types.js';

/** The exact value of a raw integer as a C++ literal (shortest round-trip double). */
function literal(raw: number, F: number): string {
  if (!Number.isSafeInteger(raw)) throw new RangeError(`table raw ${raw} is not an exact integer`);
  return String(raw * 2 ** -F);
}

function arrayCpp(type: string, name: string, raws: ArrayLike<number>, F: number, perLine: number, comment: string): string {
  const lines: string[] = [`// ${comment}`, `static const ${type} ${name}[${raws.length}] = {`];
  for (let i = 0; i < raws.length; i += perLine) {
    const row: string[] = [];
    for (let j = i; j < Math.min(i + perLine, raws.length); j++) row.push(literal(raws[j]!, F));
    lines.push(`    ${row.join(', ')},`);
  }
  lines.push('};');
  return lines.join('\n');
}

/** C++ name of a math-unit type: EXP_TA_T → vf_exp_ta_t. */
export function cppTypeName(tsName: string): string {
  return `vf_${tsName.toLowerCase()}`;
}

/** The typedefs in the order vf_math.h uses them. */
const TYPEDEFS: readonly (keyof typeof T)[] = [
  'EXP_D_T', 'EXP_LOG2E_T', 'EXP_T_T', 'EXP_TA_T', 'EXP_TB_T', 'EXP_LN2_T', 'EXP_C_T', 'EXP_LC_T', 'EXP_S_T', 'EXP_E_T',
  'RECIP_M_T', 'RECIP_TABLE_T', 'RECIP_D_T', 'RECIP_Y0_T', 'RECIP_H_T', 'RECIP_Y_T',
  'RSQRT_M_T', 'RSQRT_TABLE_T', 'RSQRT_D_T', 'RSQRT_Y0_T', 'RSQRT_W_T', 'RSQRT_H_T', 'RSQRT_Y_T',
];

/** Header snippet: named types, bit-field constants and the exp/recip/rsqrt tables. */
export function mathTablesCpp(): string {
  const tb = mathTables();
  const out: string[] = [
    '// Generated from src/fixed/math/{types,tables}.ts by mathTablesCpp(); do not edit by hand.',
    '// test/fixed/math/tables.test.ts fails when this block and the TypeScript definitions differ.',
  ];
  for (const name of TYPEDEFS) out.push(`typedef ${formatFixedType(T[name] as FixedType)} ${cppTypeName(name)};`);
  out.push(
    `static const int VF_EXP_D_MIN = ${T.EXP_D_MIN};`,
    `static const int VF_EXP_A_BITS = ${T.EXP_A_BITS};`,
    `static const int VF_EXP_B_BITS = ${T.EXP_B_BITS};`,
    `static const int VF_EXP_C_BITS = ${T.EXP_C_BITS};`,
    `static const int VF_RECIP_INDEX_BITS = ${T.RECIP_INDEX_BITS};`,
    `static const int VF_RSQRT_INDEX_BITS = ${T.RSQRT_INDEX_BITS};`,
    `static const ${cppTypeName('EXP_LOG2E_T')} VF_EXP_LOG2E = ${literal(tb.log2e, T.EXP_LOG2E_T.F)}; // log2(e)`,
    `static const ${cppTypeName('EXP_LN2_T')} VF_EXP_LN2 = ${literal(tb.ln2, T.EXP_LN2_T.F)}; // ln(2)`,
    arrayCpp(cppTypeName('EXP_TA_T'), 'VF_EXP_TA', tb.expA, T.EXP_TA_T.F, 4, 'TA[a] = 2^(a/256), rounded to nearest'),
    arrayCpp(cppTypeName('EXP_TB_T'), 'VF_EXP_TB', tb.expB, T.EXP_TB_T.F, 4, 'TB[b] = 2^(b/65536) - 1, rounded to nearest'),
    arrayCpp(cppTypeName('RECIP_TABLE_T'), 'VF_RECIP_TABLE', tb.recip, T.RECIP_TABLE_T.F, 4,
      'T[j] = 1/(1 + j/256), rounded to nearest'),
    arrayCpp(cppTypeName('RSQRT_TABLE_T'), 'VF_RSQRT_TABLE', tb.rsqrt, T.RSQRT_TABLE_T.F, 4,
      'T[j] = 1/sqrt(1 + j/128), rounded to nearest'),
  );
  return out.join('\n') + '\n';
}

/** C++ definition of a design's GELU delta table, e.g. `static const ap_ufixed<16,-2> gelu_table[129] = {...};`. */
export function geluTableCpp(table: GeluTable, name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new RangeError(`'${name}' is not a C++ identifier`);
  const k = -Math.log2(table.step);
  return arrayCpp(formatFixedType(table.type), name, table.entries, table.type.F, 8,
    `GELU delta table: T[n] = delta(n * 2^-${k}), delta(a) = a*Phi(-a), n = 0..${table.entries.length - 1} (range ${table.range})`)
    + '\n';
}
