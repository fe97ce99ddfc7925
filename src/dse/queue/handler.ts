/**
 * What one evaluation thread of `vitforge worker` does with a job. It calls the DSE's own
 * evaluation entry (`createEvaluator`, `AccuracyOracle`) and treats it as opaque: the only hook
 * is the accuracy lookup it passes in, which answers from the run's shared accuracy cache and,
 * for a type set nobody has measured yet, abandons that point's evaluation (a non-UserError the
 * evaluator lets through) so the coordinator can have the type set measured once, by one
 * accuracy job, and send the point again.
 */
import { isUserError, UserError } from '../../errors.js';
import { AccuracyOracle, accuracyKey } from '../accuracy.js';
import { createEvaluator, type EvalConfig, type Evaluator } from '../evaluate.js';
import type { AccuracyResult } from '../metrics.js';
import { pointObject } from '../space.js';
import { accuracyToWire, parseAccuracy, recordToWire, type PointsResult, type WireAccuracy, type WireUserError } from './protocol.js';

export type ThreadRequest =
  | { readonly type: 'points'; readonly ids: readonly number[]; readonly idx: readonly (readonly number[])[]; readonly acc: readonly (readonly [string, string])[] }
  | { readonly type: 'accuracy'; readonly idx: readonly number[] };

export type ThreadReply =
  | { readonly type: 'points'; readonly result: PointsResult }
  | { readonly type: 'accuracy'; readonly result: WireAccuracy }
  | { readonly type: 'fatal'; readonly message: string; readonly user?: WireUserError };

/** Thrown through the evaluator when a point needs an accuracy the run has not measured yet. */
class PendingAccuracy extends Error {
  constructor(readonly key: string) {
    super(`accuracy of ${key} not measured yet`);
  }
}

export function fatal(e: unknown): ThreadReply {
  if (isUserError(e)) return { type: 'fatal', message: e.oneLine(), user: { field: e.field, message: e.message, allowed: e.allowed } };
  return { type: 'fatal', message: (e as Error)?.stack ?? String(e) };
}

export async function createJobHandler(cfg: EvalConfig): Promise<(req: ThreadRequest) => Promise<ThreadReply>> {
  const known = new Map<string, AccuracyResult | UserError>();
  const lookup = (designObj: Record<string, unknown>): AccuracyResult => {
    const key = accuracyKey(designObj);
    const a = known.get(key);
    if (a === undefined) throw new PendingAccuracy(key);
    if (a instanceof UserError) throw new UserError(a.field, a.message, a.allowed);
    return a;
  };
  // Without an accuracy objective the evaluator must not be given a lookup (it would call it).
  let evaluator: Promise<Evaluator> | undefined;
  // The calibration reference is built at once: the thread is idle until its first job anyway.
  let oracle: Promise<AccuracyOracle> | undefined = cfg.accuracy ? AccuracyOracle.create(cfg.space.base as Record<string, unknown>, cfg.accuracy) : undefined;
  oracle?.catch(() => undefined); // a failure is reported by the first accuracy job

  return async (req) => {
    try {
      if (req.type === 'points') {
        for (const [key, text] of req.acc) if (!known.has(key)) known.set(key, parseAccuracy(text));
        evaluator ??= createEvaluator(cfg, cfg.accuracy ? { accuracy: lookup } : {});
        const evaluate = await evaluator;
        const records = [];
        const pending = [];
        for (let i = 0; i < req.ids.length; i++) {
          try {
            records.push(recordToWire(evaluate(req.idx[i]!, req.ids[i]!)));
          } catch (e) {
            if (!(e instanceof PendingAccuracy)) throw e;
            pending.push({ id: req.ids[i]!, key: e.key });
          }
        }
        return { type: 'points', result: { records, pending } };
      }
      if (!cfg.accuracy) throw new Error('accuracy job for a run without an accuracy objective');
      oracle ??= AccuracyOracle.create(cfg.space.base as Record<string, unknown>, cfg.accuracy);
      const o = await oracle;
      try {
        return { type: 'accuracy', result: accuracyToWire(o.measure(pointObject(cfg.space, req.idx))) };
      } catch (e) {
        // The functional simulator rejects types it cannot simulate bit-exactly: every point
        // with these types is then invalid with this reason, as in a local run.
        if (!isUserError(e)) throw e;
        return { type: 'accuracy', result: { user: { field: e.field, message: e.message, allowed: e.allowed } } };
      }
    } catch (e) {
      return fatal(e);
    }
  };
}
