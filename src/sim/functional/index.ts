/**
 * The bit-accurate functional simulator of the vitforge datapath (docs/datapath.md).
 * CONTRACT used by the HLS generator (goldens), the timing model (routing) and the DSE.
 */
export { quantizeWeights, tensorClass, quantizeTensorData, type QTensor, type QuantizedWeights } from './weights.js';
export {
  forwardFixed, embedFixed, ROUTING_SOURCE,
  type FixedTraceSink, type FixedForwardOptions, type FixedForwardResult,
} from './forward.js';
export { buildContext, checkSimulatable, MathUnits, GeluUnit, INV_D_TYPE, SIM_MAX_WIDTH, type FixedContext } from './context.js';
export { linearUnit, type LinearLayer } from './linear.js';
export { attentionUnit, attentionScratch } from './attention.js';
export { layerNormUnit } from './layernorm.js';
export { moeUnit, topKInsert, type MoeRouting } from './moe.js';
export { softmaxStats, softmaxProbs, FixedSoftmax, FLOAT_SOFTMAX, type SoftmaxArith } from './softmax.js';
export {
  validate, MemoryTrace,
  type ValidateOptions, type ValidationReport, type StageMetrics, type ErrorMetrics, type RoutingMetrics, type AblationRow,
} from './validate.js';
export { runValidation, reportJson, type ValidateRunOptions, type ValidateRun } from './validate-run.js';
export { errorMetrics, routingAgreement, routingMatches } from './metrics.js';
