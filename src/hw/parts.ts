/** The parts database moved to src/parts (below the design layer, which validates part ids). */
export * from '../parts/parts.js';
