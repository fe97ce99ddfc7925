/**
 * DSE worker thread: rebuilds the evaluator from the run's EvalConfig, then evaluates the chunks
 * of points the main thread sends. Runs from dist/ only (see pool.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isUserError } from '../errors.js';
import { createEvaluator, type EvalConfig, type Evaluator } from './evaluate.js';

/** A user mistake crosses the thread boundary as data, so the CLI can still print one line. */
function failure(e: unknown): { type: 'fatal'; message: string; user?: { field: string; message: string; allowed?: string } } {
  if (isUserError(e)) return { type: 'fatal', message: e.oneLine(), user: { field: e.field, message: e.message, allowed: e.allowed } };
  return { type: 'fatal', message: (e as Error)?.stack ?? String(e) };
}

interface Request {
  readonly ids: number[];
  readonly idx: Int32Array[];
}

const port = parentPort!;
let evaluate: Evaluator | undefined;
let fatal: ReturnType<typeof failure> | undefined;
try {
  evaluate = await createEvaluator((workerData as { config: EvalConfig }).config);
} catch (e) {
  fatal = failure(e);
}

port.on('message', (req: Request) => {
  if (!evaluate) {
    port.postMessage(fatal);
    return;
  }
  try {
    port.postMessage({ type: 'result', records: req.ids.map((id, i) => evaluate!(req.idx[i]!, id)) });
  } catch (e) {
    port.postMessage(failure(e));
  }
});
