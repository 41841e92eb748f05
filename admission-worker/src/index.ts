export { type AppDeps, createApp } from './app.ts';
export { type Config, configShape, loadConfig } from './config.ts';
export { type DecisionRecord, decisionStreamKey } from './decisions/record.ts';
export { readDecisions, type StreamedDecision } from './decisions/stream.ts';
export { type TickKeys, tickKeys } from './ticks/keys.ts';
export { type DecideFn, runTick, type TickDeps, type TickOutcome } from './ticks/run-tick.ts';
