/**
 * Evaluation thread of `vitforge worker` (runs from dist/ only, like ../worker.ts): the worker's
 * main thread keeps BullMQ's locks and Redis traffic going while the points and type sets are
 * evaluated here.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EvalConfig } from '../evaluate.js';
import { createJobHandler, fatal, type ThreadRequest } from './handler.js';

const port = parentPort!;
let handle: Awaited<ReturnType<typeof createJobHandler>> | undefined;
let failure: ReturnType<typeof fatal> | undefined;
try {
  handle = await createJobHandler((workerData as { config: EvalConfig }).config);
} catch (e) {
  failure = fatal(e);
}

port.on('message', (req: ThreadRequest) => {
  if (!handle) {
    port.postMessage(failure);
    return;
  }
  void handle(req).then((reply) => port.postMessage(reply));
});
