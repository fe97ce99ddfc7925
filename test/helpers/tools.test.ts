/** The tool check: skip on a developer machine, fail under CI. */
import { describe, expect, it } from 'vitest';
import { isCi, requireChromium, requireToolIn } from './tools.js';

describe('requireTool', () => {
  const none = (): boolean => false;
  const all = (): boolean => true;
  it('is true when every tool runs, in CI or not', () => {
    expect(requireToolIn({ CI: 'true' }, ['g++', 'make'], all)).toBe(true);
    expect(requireToolIn({}, ['g++'], all)).toBe(true);
  });
  it('skips (false) outside CI and throws under CI when a tool is missing, naming it', () => {
    expect(requireToolIn({}, ['g++'], none)).toBe(false);
    expect(requireToolIn({ CI: 'false' }, ['g++'], none)).toBe(false);
    expect(() => requireToolIn({ CI: 'true' }, ['g++', 'make'], (t) => t === 'make')).toThrow(/^g\+\+ is required under CI=true/);
    expect(() => requireToolIn({ CI: '1' }, ['tclsh'], none)).toThrow(/tclsh is required/);
  });
  it('Chromium: a missing browser fails under CI', () => {
    const env = { VITFORGE_CHROMIUM: '/nonexistent/chromium' };
    expect(requireChromium(env)).toBeUndefined();
    expect(() => requireChromium({ ...env, CI: 'true' })).toThrow(/Chromium \(\/nonexistent\/chromium\) is required/);
  });
  it('reads CI like CI systems set it', () => {
    expect([isCi({}), isCi({ CI: '' }), isCi({ CI: '0' }), isCi({ CI: 'false' }), isCi({ CI: 'true' }), isCi({ CI: '1' })])
      .toEqual([false, false, false, false, true, true]);
  });
});
