/** C++ text emitted for the math units: literals parse back to the exact raw values. */
import { describe, expect, it } from 'vitest';
import { buildGeluTable, geluTableCpp } from '../../../src/fixed/math/index.js';
import { parseFixedType } from '../../../src/fixed/type.js';

describe('geluTableCpp', () => {
  const t = buildGeluTable(1 / 32, 4, parseFixedType('ap_ufixed<16,-2>'));
  const text = geluTableCpp(t, 'GELU_DELTA_TABLE');

  it('declares a static const array of the table type with one literal per entry', () => {
    const m = /static const ap_ufixed<16,-2> GELU_DELTA_TABLE\[129\] = \{([^}]*)\};/.exec(text);
    expect(m).not.toBeNull();
    const vals = m![1]!.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    expect(vals.length).toBe(129);
    // Each literal is the exact value raw·2^-18: reading it back gives the raw.
    expect(vals.map((v) => Number(v) * 2 ** 18)).toEqual([...t.entries]);
    for (const v of vals) expect(v).toMatch(/^[0-9.e+-]+$/);
  });

  it('rejects names that are not C++ identifiers', () => {
    expect(() => geluTableCpp(t, '1table')).toThrow();
    expect(() => geluTableCpp(t, 'gelu table')).toThrow();
  });
});
