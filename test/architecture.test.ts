/**
 * Layers import downward only (../shared/DESIGN.md, docs/architecture.md): every relative import
 * of a src/ module is checked against the layer order below, so a module cycle or an upward
 * dependency fails the suite instead of creeping in. Type-only imports count too: a type that
 * two layers share lives in the lower one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/model/shared.js';

/** Lowest first; a module may import its own layer and any layer before it. */
const ORDER = [
  'errors', 'version', 'rng', 'io', 'model', 'kernels', 'fixed', 'parts', 'design', 'sim/functional', 'plan', 'hw',
  'sim/timing', 'hls', 'report', 'dse', 'cli',
] as const;

const src = join(projectRoot(), 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The layer of a file under src/: its top folder (sim/ splits into functional and timing). */
function layerOf(path: string): string {
  const parts = relative(src, path).split(sep);
  if (parts[0] === 'sim') return `sim/${parts[1]}`;
  return parts.length === 1 ? parts[0]!.replace(/\.(ts|js)$/, '') : parts[0]!;
}

describe('layering', () => {
  const edges: { from: string; to: string; file: string }[] = [];
  for (const f of files(src)) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(f), m[1]!);
      edges.push({ from: layerOf(f), to: layerOf(target), file: relative(src, f) });
    }
  }

  it('every src/ module belongs to a known layer', () => {
    const unknown = [...new Set(edges.flatMap((e) => [e.from, e.to]))].filter((l) => !(ORDER as readonly string[]).includes(l));
    expect(unknown).toEqual([]);
  });

  it('imports point to the same or a lower layer', () => {
    const rank = (l: string): number => (ORDER as readonly string[]).indexOf(l);
    const upward = edges.filter((e) => rank(e.to) > rank(e.from)).map((e) => `${e.file} (${e.from}) imports ${e.to}`);
    expect([...new Set(upward)]).toEqual([]);
  });

  it('the check sees imports at all (a broken regex would pass vacuously)', () => {
    expect(edges.length).toBeGreaterThan(200);
    expect(edges.some((e) => e.from === 'sim/timing' && e.to === 'plan')).toBe(true);
  });
});
