/**
 * Hand-worked examples. Every expected value below was computed by hand from the rules in
 * docs/fixed-point.md (the working is in the comment of each row); rows marked UG1399 are the
 * examples printed in the Vitis HLS user guide (UG1399, "Overflow Modes").
 */
import { describe, expect, test } from 'vitest';
import { fromDouble, quantize, toDouble } from '../../src/fixed/quantize.js';
import { parseFixedType as T } from '../../src/fixed/type.js';
import { formatFixedType } from '../../src/fixed/type.js';
import { addType, mulType, negType, subType } from '../../src/fixed/optypes.js';
import {
  add, addAssign, bigFixed, bigFromDouble, bigToDouble, compare, mul, neg, shiftLeft, shiftRight, sub, toIntBig,
} from '../../src/fixed/bigfixed.js';

// [type, input double, expected value]
const CONVERSIONS: [string, number, number][] = [
  // ap_fixed<8,4,Q>: F = 4, grid 1/16. 1.53125·16 = 24.5 is a tie between 24 and 25.
  ['ap_fixed<8,4,AP_TRN>', 1.53125, 24 / 16], //          floor
  ['ap_fixed<8,4,AP_TRN_ZERO>', 1.53125, 24 / 16], //     toward 0
  ['ap_fixed<8,4,AP_RND>', 1.53125, 25 / 16], //          tie → +∞
  ['ap_fixed<8,4,AP_RND_ZERO>', 1.53125, 24 / 16], //     tie → toward 0
  ['ap_fixed<8,4,AP_RND_MIN_INF>', 1.53125, 24 / 16], //  tie → −∞
  ['ap_fixed<8,4,AP_RND_INF>', 1.53125, 25 / 16], //      tie → away from 0
  ['ap_fixed<8,4,AP_RND_CONV>', 1.53125, 24 / 16], //     tie → even (24)
  ['ap_fixed<8,4,AP_RND_CONV>', 1.59375, 26 / 16], //     25.5 → even (26)
  // −1.53125·16 = −24.5: tie between −25 and −24.
  ['ap_fixed<8,4,AP_TRN>', -1.53125, -25 / 16], //        floor
  ['ap_fixed<8,4,AP_TRN_ZERO>', -1.53125, -24 / 16], //   toward 0
  ['ap_fixed<8,4,AP_RND>', -1.53125, -24 / 16], //        tie → +∞
  ['ap_fixed<8,4,AP_RND_ZERO>', -1.53125, -24 / 16], //   tie → toward 0
  ['ap_fixed<8,4,AP_RND_MIN_INF>', -1.53125, -25 / 16], // tie → −∞
  ['ap_fixed<8,4,AP_RND_INF>', -1.53125, -25 / 16], //    tie → away from 0
  ['ap_fixed<8,4,AP_RND_CONV>', -1.53125, -24 / 16], //   tie → even (−24)
  // not a tie: 1.55·16 = 24.8, −24.8
  ['ap_fixed<8,4,AP_TRN>', 1.55, 24 / 16],
  ['ap_fixed<8,4,AP_RND_MIN_INF>', 1.55, 25 / 16],
  ['ap_fixed<8,4,AP_TRN_ZERO>', -1.55, -24 / 16],
  ['ap_fixed<8,4,AP_RND_ZERO>', -1.55, -25 / 16],
  // −0.01·16 = −0.16: floor −1, toward zero 0, nearest 0
  ['ap_fixed<8,4,AP_TRN>', -0.01, -1 / 16],
  ['ap_fixed<8,4,AP_TRN_ZERO>', -0.01, 0],
  ['ap_fixed<8,4,AP_RND>', -0.01, 0],
  // UG1399 "Overflow Modes": ap_[u]fixed<4,4,AP_RND,O> = ±19 (range −8..7 / 0..15)
  ['ap_fixed<4,4,AP_RND,AP_SAT>', 19, 7],
  ['ap_fixed<4,4,AP_RND,AP_SAT>', -19, -8],
  ['ap_ufixed<4,4,AP_RND,AP_SAT>', 19, 15],
  ['ap_ufixed<4,4,AP_RND,AP_SAT>', -19, 0],
  ['ap_fixed<4,4,AP_RND,AP_SAT_ZERO>', 19, 0],
  ['ap_ufixed<4,4,AP_RND,AP_SAT_ZERO>', -19, 0],
  ['ap_fixed<4,4,AP_RND,AP_SAT_SYM>', 19, 7],
  ['ap_fixed<4,4,AP_RND,AP_SAT_SYM>', -19, -7],
  ['ap_ufixed<4,4,AP_RND,AP_SAT_SYM>', -19, 0],
  ['ap_fixed<4,4,AP_RND,AP_WRAP_SM>', 19, -4], // 19 = 1_0011: bit4 (1) ≠ bit3 (0) → invert 0011 → 1100
  ['ap_fixed<4,4,AP_RND,AP_WRAP_SM>', -19, 2], // −19 = …0_1101: bit4 (0) ≠ bit3 (1) → invert → 0010
  // AP_WRAP: keep the low W bits. 19 = 1_0011 → 0011; −19 = …1_1101 → 1101 = −3 (unsigned 13)
  ['ap_fixed<4,4,AP_RND,AP_WRAP>', 19, 3],
  ['ap_fixed<4,4,AP_RND,AP_WRAP>', -19, -3],
  ['ap_ufixed<4,4,AP_RND,AP_WRAP>', -19, 13],
  // AP_WRAP with N saturation bits (signed): MSB := sign, next N−1 bits := NOT sign, rest wrapped.
  ['ap_fixed<4,4,AP_TRN,AP_WRAP>', 9, -7], //      1001 → −7
  ['ap_fixed<4,4,AP_TRN,AP_WRAP,1>', 9, 1], //     MSB := 0 → 0001
  ['ap_fixed<4,4,AP_TRN,AP_WRAP,2>', 9, 5], //     0, 1, then 01 → 0101
  ['ap_fixed<4,4,AP_TRN,AP_WRAP,4>', 9, 7], //     0111 = max
  ['ap_fixed<4,4,AP_TRN,AP_WRAP,1>', -9, -1], //   −9 = …1_0111: MSB := 1 → 1111
  ['ap_fixed<4,4,AP_TRN,AP_WRAP,2>', -9, -5], //   1, 0, then 11 → 1011
  ['ap_fixed<4,4,AP_TRN,AP_WRAP,4>', -9, -8], //   1000 = min
  ['ap_fixed<4,4,AP_TRN,AP_WRAP,1>', 12, 4], //    1100 → 0100
  // unsigned: the top N bits are set to 1 on any overflow, also below zero
  ['ap_ufixed<4,4,AP_TRN,AP_WRAP,2>', 19, 15], //  0011 → 1111
  ['ap_ufixed<4,4,AP_TRN,AP_WRAP,2>', -3, 13], //  …1101 → 1101
  // AP_WRAP_SM with N bits: N = 1 inverts when the wrapped MSB differs from the sign
  ['ap_fixed<4,4,AP_TRN,AP_WRAP_SM,1>', 9, 6], //  1001, sign 0 ≠ MSB 1 → 0110
  ['ap_fixed<4,4,AP_TRN,AP_WRAP_SM,1>', -9, -8], // 0111, sign 1 ≠ MSB 0 → 1000
  // N = 2: invert when bit W−N equals the sign, then bit 2 := NOT sign, MSB := sign
  ['ap_fixed<4,4,AP_TRN,AP_WRAP_SM,2>', 9, 6], //  1001: bit2 = 0 = sign → 0110 → 0110
  ['ap_fixed<4,4,AP_TRN,AP_WRAP_SM,2>', 12, 4], // 1100: bit2 = 1 ≠ 0 → keep; MSB := 0 → 0100
  // AP_WRAP_SM reads bit W of the value truncated BEFORE rounding: 31.5 → RND 32 (10_0000);
  // the truncated 31 = 01_1111 has bit5 = 0 = wrapped MSB (0) → no inversion → 0.
  ['ap_fixed<5,5,AP_RND,AP_WRAP_SM>', 31.5, 0],
  // AP_SAT_SYM never produces the most negative value; W = 1 is the exception (10…01 = 1 = min).
  ['ap_fixed<4,4,AP_TRN,AP_SAT_SYM>', -8, -7],
  ['ap_fixed<1,1,AP_TRN,AP_SAT_SYM>', -1, -1],
  ['ap_fixed<1,1,AP_TRN,AP_SAT_SYM>', -5, -1],
  ['ap_fixed<1,1,AP_TRN,AP_SAT_SYM>', 3, 0],
  // negative I: ap_fixed<4,-2> has F = 6, raws −8..7 (−0.125 … 0.109375)
  ['ap_fixed<4,-2>', 0.1, 6 / 64], //   6.4 → 6
  ['ap_fixed<4,-2>', 0.2, -4 / 64], //  12.8 → 12 → 1100 = −4
  // I > W: ap_ufixed<4,8> has F = −4 (grid 16), raws 0..15
  ['ap_ufixed<4,8>', 100, 96], //        6.25 → 6
  ['ap_ufixed<4,8,AP_RND>', 104, 112], // 6.5 → 7
  // W = 1 unsigned: ap_ufixed<1,0> holds 0 or 0.5 (UG1399 identifier table)
  ['ap_ufixed<1,0>', 0.5, 0.5],
  ['ap_ufixed<1,0,AP_RND>', 0.3, 0.5], // 0.6 → 1
];

describe('conversion from double, worked by hand', () => {
  test.each(CONVERSIONS)('%s = %d gives %d', (type, x, want) => {
    const t = T(type);
    expect(toDouble(fromDouble(x, t), t)).toBe(want);
    expect(bigToDouble(bigFromDouble(x, t))).toBe(want);
  });
});

describe('quantize of exact raws and conversion between types', () => {
  test('ties of raw values under AP_RND_CONV: 5/2 → 2, 7/2 → 4', () => {
    const t = T('ap_fixed<8,8,AP_RND_CONV>');
    expect(quantize(5, 1, t)).toBe(2);
    expect(quantize(7, 1, t)).toBe(4);
  });
  test('ap_fixed<8,4> 7.9375 (raw 127) into ap_fixed<6,3,AP_RND,AP_SAT>: 63.5 → 64 > 31 → 31', () => {
    expect(quantize(127, 4, T('ap_fixed<6,3,AP_RND,AP_SAT>'))).toBe(31);
  });
});

describe('operator result types (Vitis RType)', () => {
  const cases: [string, string, string, string, string, string][] = [
    // a, b, a+b, a−b, a·b; I: max(I) + 1 (an unsigned operand beside a signed one counts I + 1)
    ['ap_fixed<8,3>', 'ap_fixed<12,5>', 'ap_fixed<13,6>', 'ap_fixed<13,6>', 'ap_fixed<20,8>', '−a: ap_fixed<9,4>'],
    ['ap_ufixed<8,3>', 'ap_fixed<12,5>', 'ap_fixed<13,6>', 'ap_fixed<13,6>', 'ap_fixed<20,8>', '−a: ap_fixed<9,4>'],
    ['ap_ufixed<8,6>', 'ap_fixed<6,2>', 'ap_fixed<12,8>', 'ap_fixed<12,8>', 'ap_fixed<14,8>', '−a: ap_fixed<9,7>'],
    ['ap_ufixed<8,3>', 'ap_ufixed<4,4>', 'ap_ufixed<10,5>', 'ap_fixed<10,5>', 'ap_ufixed<12,7>', '−a: ap_fixed<9,4>'],
    ['ap_fixed<32,10>', 'ap_fixed<16,2>', 'ap_fixed<33,11>', 'ap_fixed<33,11>', 'ap_fixed<48,12>', '−a: ap_fixed<33,11>'],
    ['ap_fixed<64,32>', 'ap_fixed<64,32>', 'ap_fixed<65,33>', 'ap_fixed<65,33>', 'ap_fixed<128,64>', '−a: ap_fixed<65,33>'],
  ];
  test.each(cases)('%s with %s', (a, b, sum, diff, prod, negA) => {
    const ta = T(a);
    const tb = T(b);
    expect(formatFixedType(addType(ta, tb))).toBe(sum);
    expect(formatFixedType(subType(ta, tb))).toBe(diff);
    expect(formatFixedType(mulType(ta, tb))).toBe(prod);
    expect(`−a: ${formatFixedType(negType(ta))}`).toBe(negA);
  });
});

describe('operators on values', () => {
  test('64-bit extremes: min·min = 2^126 raw in ap_fixed<128,64>, −min fits ap_fixed<65,65>', () => {
    const t = T('ap_fixed<64,64>');
    const m = bigFixed(-(1n << 63n), t);
    expect(mul(m, m).raw).toBe(1n << 126n);
    expect(neg(m).raw).toBe(1n << 63n);
    expect(formatFixedType(neg(m).type)).toBe('ap_fixed<65,65>');
  });
  test('a + b and a − b align the binary points: 1.5 (ap_fixed<8,4>) + 0.25 (ap_ufixed<4,0>)', () => {
    const a = bigFromDouble(1.5, T('ap_fixed<8,4>'));
    const b = bigFromDouble(0.25, T('ap_ufixed<4,0>'));
    expect(bigToDouble(add(a, b))).toBe(1.75);
    expect(bigToDouble(sub(b, a))).toBe(-1.25);
    expect(compare(a, b)).toBe(1);
    expect(compare(b, a)).toBe(-1);
    expect(compare(a, bigFromDouble(1.5, T('ap_ufixed<2,1>')))).toBe(0);
  });
  test('acc += v: exact sum, then the accumulator type: 7.5 + 1 = 8.5 wraps to −7.5, saturates to 7.9375', () => {
    const one = bigFromDouble(1, T('ap_fixed<8,4>'));
    expect(bigToDouble(addAssign(bigFromDouble(7.5, T('ap_fixed<8,4>')), one))).toBe(-7.5);
    expect(bigToDouble(addAssign(bigFromDouble(7.5, T('ap_fixed<8,4,AP_TRN,AP_SAT>')), one))).toBe(7.9375);
  });
  test('shifts keep the type and raw-shift: 3.5 << 2 wraps to −2; −3.5 >> 3 floors to −0.4375', () => {
    const t = T('ap_fixed<8,4,AP_RND,AP_SAT>'); // the modes do not apply to shifts
    expect(bigToDouble(shiftLeft(bigFromDouble(3.5, t), 2))).toBe(-2);
    expect(bigToDouble(shiftRight(bigFromDouble(-3.5, t), 3))).toBe(-0.4375);
  });
  test('to_int truncates toward zero, with the vendor corner case at I = 0', () => {
    expect(toIntBig(bigFromDouble(-7.5, T('ap_fixed<8,4>')))).toBe(-7n); // the vendor's own example
    expect(toIntBig(bigFromDouble(7.5, T('ap_fixed<8,4>')))).toBe(7n);
    expect(toIntBig(bigFromDouble(-0.25, T('ap_fixed<8,0>')))).toBe(-1n); // 1-bit register 0 + 1
    expect(toIntBig(bigFixed(1, T('ap_fixed<4,8>')))).toBe(16n);
    // I < 0: undefined in the vendor's code; the same answer as vitforge's C-sim headers.
    expect(toIntBig(bigFixed(-510, T('ap_fixed<10,-6>')))).toBe(-1n);
    expect(toIntBig(bigFixed(255, T('ap_fixed<10,-6>')))).toBe(0n);
  });
});
