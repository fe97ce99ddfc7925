import type { Command } from 'commander';
import { allParts, getPart, type Part } from '../parts/parts.js';

const int = (v: number): string => v.toLocaleString('en-US');

function row(p: Part): string[] {
  const m = p.memory;
  return [
    p.id, p.board, p.device, int(p.lut), int(p.ff), int(p.dsp), int(p.bram36), int(p.uram),
    `${p.clockMHz.min}-${p.clockMHz.max}`,
    `${m.kind} ${m.channels}ch ${m.peakGBps.toFixed(1)}/${m.practicalGBps.toFixed(1)}`,
    `${m.ports}x${m.portBits}b@${m.portMaxMHz}`,
    p.staticW.toFixed(2),
  ];
}

export function registerParts(program: Command): void {
  program
    .command('parts')
    .description('list the FPGA parts database (or show one part / a custom part file)')
    .argument('[part]', 'part id or custom part .yaml file')
    .option('--json', 'print as JSON')
    .action((ref: string | undefined, f: { json?: boolean }) => {
      const parts = ref ? [getPart(ref, 'part')] : [...allParts()];
      if (f.json) {
        process.stdout.write(JSON.stringify(ref ? parts[0] : parts, null, 2) + '\n');
        return;
      }
      const head = ['id', 'board', 'device', 'LUT', 'FF', 'DSP', 'BRAM36', 'URAM', 'MHz', 'memory GB/s peak/practical', 'PL ports', 'static W'];
      const rows = parts.map(row);
      const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      const right = [false, false, false, true, true, true, true, true, true, false, false, true];
      const line = (r: string[]): string => r.map((c, i) => (right[i] ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  ').trimEnd();
      process.stdout.write([line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n') + '\n');
    });
}
