import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { checkOutputFile, writeFileAtomic } from '../io/atomic.js';
import { compareCsv, compareSynth, formatCompare } from '../hls/compare-synth.js';
import { loadSynthPrediction, PREDICTION_FILE } from '../hls/synth-prediction.js';
import { pickReportDir, readSynthReport } from '../hls/synth-report.js';

interface CompareFlags { solution?: string; prediction?: string; json?: string; csv?: string }

export function registerCompareSynth(program: Command): void {
  program
    .command('compare-synth')
    .description('put vitforge\'s prediction beside a Vitis HLS csynth report: II, latency, trip counts and resources per unit and loop')
    .argument('<dir>', 'project folder written by vitforge generate, after vitis_hls -f run_hls.tcl')
    .option('--solution <name>', 'solution folder to read when there are several (default: proj_<design>/solution1, else the first by path)')
    .option('--prediction <file>', `prediction to compare (default: DIR/${PREDICTION_FILE})`)
    .option('--json <file>', 'also write the comparison as JSON')
    .option('--csv <file>', 'also write one CSV line per compared figure')
    .action((dir: string, f: CompareFlags) => {
      if (!existsSync(dir)) throw new UserError(dir, 'no such folder; expected a project written by vitforge generate');
      if (!statSync(dir).isDirectory()) throw new UserError(dir, 'is a file; expected a project folder');
      if (f.json) checkOutputFile(f.json, '--json');
      if (f.csv) checkOutputFile(f.csv, '--csv');
      const prediction = loadSynthPrediction(f.prediction ?? join(dir, PREDICTION_FILE));
      const { chosen, candidates } = pickReportDir(dir, {
        solution: f.solution, preferProject: `proj_${prediction.design.replace(/[^A-Za-z0-9_]/g, '_')}`,
      });
      const report = readSynthReport(chosen.dir);
      const result = compareSynth(prediction, report);
      const others = candidates.filter((c) => c !== chosen).map((c) => c.rel);
      const shown = relative(process.cwd(), chosen.dir) || '.';
      process.stdout.write(
        `prediction  ${prediction.design}: top ${prediction.top}, ${prediction.part}, ${prediction.clockMHz} MHz\n` +
        `report      ${shown} (${report.version ? `HLS ${report.version}` : 'unknown version'}, ${report.part ?? 'part not given'}, ` +
        `target ${report.targetClockNs ?? '?'} ns, uncertainty ${report.clockUncertaintyNs ?? '?'} ns, ${report.files.length} file${report.files.length === 1 ? '' : 's'})\n` +
        (others.length ? `            picked 1 of ${candidates.length} reports; others: ${others.join(', ')} (choose with --solution)\n` : '') +
        '\n' + formatCompare(result),
      );
      if (f.json) writeFileAtomic(f.json, JSON.stringify(result, null, 2) + '\n', '--json');
      if (f.csv) writeFileAtomic(f.csv, compareCsv(result), '--csv');
    });
}
