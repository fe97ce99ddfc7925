/** Type descriptors: parsing, printing, and the UserError for every bad parameter. */
import { describe, expect, test } from 'vitest';
import { fixedType, formatFixedType, parseFixedType, rawRange, wideType } from '../../src/fixed/type.js';
import { userError } from '../user-error.js';

describe('parseFixedType', () => {
  test('C++ spellings round-trip through formatFixedType', () => {
    for (const s of ['ap_fixed<32,10>', 'ap_ufixed<8,0>', 'ap_fixed<16,2,AP_RND>', 'ap_fixed<16,2,AP_RND,AP_SAT>',
      'ap_fixed<8,4,AP_TRN,AP_WRAP,3>', 'ap_ufixed<16,-2>', 'ap_fixed<4,9,AP_RND_CONV,AP_SAT_SYM>']) {
      expect(formatFixedType(parseFixedType(s))).toBe(s);
    }
    expect(parseFixedType(' ap_int< 12 > ')).toMatchObject({ W: 12, I: 12, F: 0, signed: true });
    expect(parseFixedType('ap_uint<1>')).toMatchObject({ W: 1, signed: false });
    expect(rawRange(parseFixedType('ap_fixed<8,3>'))).toEqual({ min: -128, max: 127 });
    expect(rawRange(parseFixedType('ap_ufixed<8,3>'))).toEqual({ min: 0, max: 255 });
  });

  test.each([
    ['ap_fixed<0,0>', 'W=0'],
    ['ap_fixed<65,10>', 'W=65'],
    ['ap_fixed<16,2,AP_ROUND>', 'AP_ROUND'],
    ['ap_fixed<16,2,AP_RND,AP_CLAMP>', 'AP_CLAMP'],
    ['ap_fixed<16,2,AP_TRN,AP_WRAP,17>', 'N=17'],
    ['ap_ufixed<16,2,AP_TRN,AP_WRAP_SM>', 'AP_WRAP_SM'],
    ['ap_fixed<16>', '2 to 5'],
    ['ap_int<8,2>', 'exactly one'],
    ['ap_fixed<16,x>', 'I of'],
    ['float', 'cannot parse'],
  ])('%s → UserError mentioning %s, naming the field', (text, part) => {
    const e = userError(() => parseFixedType(text, 'types.fm'));
    expect(e.field).toBe('types.fm');
    expect(e.message).toContain(part);
  });

  test('fixedType validates its numeric parameters', () => {
    expect(userError(() => fixedType(1.5, 1)).message).toContain('W=1.5');
    expect(userError(() => fixedType(8, 1000)).message).toContain('I=1000');
    expect(() => fixedType(64, 64)).not.toThrow();
    expect(() => fixedType(1, -200)).not.toThrow();
  });

  test('intermediate (operator result) types may exceed 64 bits', () => {
    expect(wideType(128, 64, true)).toMatchObject({ W: 128, F: 64 });
    expect(() => wideType(0, 0, true)).toThrow(RangeError);
  });
});
