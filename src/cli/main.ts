/**
 * CLI entry. Each command lives in its own file and only parses arguments and prints; the work is
 * done by the library modules. A UserError is printed as one line with exit code 1; any other
 * exception is a bug and is printed with its stack, exit code 2.
 */
import { Command, CommanderError } from 'commander';
import { isUserError } from '../errors.js';
import { registerModels } from './models.js';
import { registerRun } from './run.js';
import { registerValidate } from './validate.js';
import { registerSimulate } from './simulate.js';
import { registerPlan } from './plan.js';
import { registerParts } from './parts.js';
import { registerGenerate } from './generate.js';
import { registerCsim } from './csim.js';
import { registerDse } from './dse.js';
import { registerReport } from './report.js';
import { registerCompareSynth } from './compare-synth.js';
import { registerWorker } from './worker.js';
import { VERSION } from '../version.js';

export { VERSION };

/** Commands register themselves here; keep one line per command file. */
const COMMANDS: ((program: Command) => void)[] = [
  registerModels,
  registerRun,
  registerValidate,
  registerSimulate,
  registerPlan,
  registerParts,
  registerGenerate,
  registerCsim,
  registerDse,
  registerReport,
  registerCompareSynth,
  registerWorker,
];

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('vitforge')
    .description('Co-design toolkit for FPGA vision-transformer accelerators')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError(false);
  for (const register of COMMANDS) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander already printed its one-line message (or help/version, which exit 0).
      return e.exitCode === 0 ? 0 : 1;
    }
    if (isUserError(e)) {
      process.stderr.write(`vitforge: error: ${e.oneLine()}\n`);
      return 1;
    }
    process.stderr.write(`vitforge: internal error (a bug, please report):\n${(e as Error)?.stack ?? String(e)}\n`);
    return 2;
  }
}
