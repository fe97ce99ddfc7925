/**
 * hls_stream.h / hls_vector.h of vitforge's C-simulation headers, and the headers under -O2 with
 * -Werror: FIFO order, empty(), a read on an empty stream is a reported error, vector element
 * access, and the linear-unit MAC pattern equal to a hand-written int64 version.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/tools.js';

const INCLUDE = fileURLToPath(new URL('../../templates/hls/csim/include', import.meta.url));
const cpp = (name: string): string => fileURLToPath(new URL(`./cpp/${name}`, import.meta.url));
const HAS_GXX = requireTool('g++');
const FLAGS = ['-std=c++17', '-O2', '-Wall', '-Wextra', '-Werror', '-Wno-unknown-pragmas', '-I', INCLUDE];

describe.skipIf(!HAS_GXX)('hls::stream, hls::vector and -O2 builds of the C-sim headers', () => {
  let dir = '';
  const build = (src: string, exe: string): string => {
    const out = join(dir, exe);
    const r = spawnSync('g++', [...FLAGS, cpp(src), '-o', out], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${src} does not compile:\n${r.stderr.slice(0, 3000)}`);
    return out;
  };
  let streamExe = '';
  let benchExe = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vf-csim-stream-'));
    streamExe = build('csim_stream_driver.cpp', 'stream');
    benchExe = build('csim_mac_bench.cpp', 'bench');
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is a FIFO with empty(), read()/write() and the << / >> forms', () => {
    const r = spawnSync(streamExe, ['fifo'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('empty0 1');
    expect(lines[1]).toBe('empty1 0 size 6');
    expect(lines[2]).toBe('order 0 0.25 0.5 0.75 1 -3.5');
    expect(lines[3]).toBe('empty2 1');
    // leftover data is only a warning
    expect(r.stderr).toMatch(/hls::stream 's_data' holds 1 leftover element/);
  });

  it('reports a read on an empty stream as an error (exit status 1, stream named)', () => {
    const r = spawnSync(streamExe, ['empty-read'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/hls::stream 's_data' read while empty/);
  });

  it('hls::vector default-constructs its elements and gives element access', () => {
    const r = spawnSync(streamExe, ['fifo'], { encoding: 'utf8' });
    const lines = r.stdout.trim().split('\n');
    expect(lines[4]).toBe('vec0 0 0 0 0');
    expect(lines[5]).toBe('vec1 -150 -50 50 150');
    expect(lines[6]).toBe('vecstream 1.5 -0.75');
  });

  it('accumulates ap_fixed<32,10> += ap_fixed<32,10> * ap_fixed<16,2> exactly like raw int64 code', () => {
    const r = spawnSync(benchExe, ['1'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const sums = new Map(r.stdout.trim().split('\n').map((l) => {
      const [name, , , sum] = l.split(' ');
      return [name!, sum!] as const;
    }));
    expect(sums.get('mac')).toBeDefined();
    expect(sums.get('mac')).toBe(sums.get('int64'));
  });
});
