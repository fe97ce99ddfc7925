/**
 * External tools a test needs (g++, make, tclsh, Chromium). On a developer machine a missing tool
 * skips the tests that need it, with a message; under CI (`CI` set to anything but '', '0' or
 * 'false') a missing tool is an ERROR, so a CI machine without g++ cannot go green having checked
 * no C++. `.ci/run` installs every tool listed here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** How to check that a tool runs (exit status 0). */
const PROBES: Record<string, { args: string[]; input?: string }> = {
  'g++': { args: ['--version'] },
  make: { args: ['--version'] },
  tclsh: { args: [], input: 'exit 0\n' },
};

function runs(cmd: string): boolean {
  const p = PROBES[cmd] ?? { args: ['--version'] };
  return spawnSync(cmd, p.args, { input: p.input, encoding: 'utf8' }).status === 0;
}

/** What a missing tool does: false (skip) on a developer machine, an exception under CI. */
function missing(what: string, env: NodeJS.ProcessEnv): false {
  if (isCi(env)) {
    throw new Error(`${what} is required under CI=${env.CI} but is not installed; .ci/run installs it (tests needing it would otherwise be skipped silently)`);
  }
  process.stderr.write(`tests: ${what} not found: the tests that need it are skipped (under CI this fails)\n`);
  return false;
}

/**
 * True when every tool runs. Use as `describe.skipIf(!requireTool('g++', 'make'))`: under CI a
 * missing tool throws while the test file is collected, which fails the run.
 */
export function requireTool(...tools: string[]): boolean {
  return requireToolIn(process.env, tools, runs);
}

/** requireTool with the environment and the probe given (tests of this helper). */
export function requireToolIn(env: NodeJS.ProcessEnv, tools: readonly string[], probe: (cmd: string) => boolean = runs): boolean {
  const absent = tools.filter((t) => !probe(t));
  return absent.length === 0 ? true : missing(absent.join(', '), env);
}

/** Where Debian's `chromium` is (override: VITFORGE_CHROMIUM); undefined (skip) or, under CI, an exception when absent. */
export function requireChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const p = env.VITFORGE_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(p)) return p;
  missing(`Chromium (${p})`, env);
  return undefined;
}
