// Artillery loads this file with import(); Node 24 runs the TypeScript it re-exports directly
// (a .ts processor would instead be bundled by artillery into a dist/ folder on every run).
export * from './visitor/hooks.ts';
