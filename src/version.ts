/** The vitforge version (package.json's): printed by --version, and checked between DSE coordinator and workers. */
export const VERSION = '0.1.0';
