/** Hardware math library: EXP, RECIP, RSQRT and the GELU delta table (docs/math.md). */
export { expHw } from './exp.js';
export { recipHw } from './recip.js';
export { rsqrtHw } from './rsqrt.js';
export { buildGeluTable, geluHw, geluDelta, type GeluTable } from './gelu.js';
export { mathUnitCost, mulDsp, type MathUnitCost, type MathFn, type MathCostOptions } from './costs.js';
export { mathTables, type MathTables } from './tables.js';
export { geluTableCpp, mathTablesCpp } from './cpp.js';
