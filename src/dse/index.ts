/**
 * Design-space exploration: public API (the `vitforge dse` command is a thin wrapper).
 *   const cfg = await resolveRunConfig({ model: 'm3vit-tiny', part: 'zcu102', budget: 2000 });
 *   const summary = await runDse(cfg, '/tmp/x', { jobs: 2 });
 */
export { resolveRunConfig, DEFAULT_OBJECTIVES, DEFAULT_BUDGET, type DseOptions, type RunConfig } from './config.js';
export { runDse, loadRun, type ExecOptions, type DseSummary } from './run.js';
export { createEvaluator, metricColumns, type EvalConfig, type EvalDeps, type PointRecord, type PointStatus } from './evaluate.js';
export { METRICS, parseObjectives, type Objective, type AccuracyResult } from './metrics.js';
export { buildSpace, defaultSpaceLists, pointObject, pointParams, type Space, type Dimension, type ParamValue } from './space.js';
export { STRATEGIES, type StrategyName } from './strategies.js';
export { paretoFront, nonDominatedSort, crowdingDistance, dominates } from './pareto.js';
export { AccuracyOracle, compareOutputs } from './accuracy.js';
