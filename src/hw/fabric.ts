/** Moved to src/parts (the parts database's fabric descriptions). */
export * from '../parts/fabric.js';
