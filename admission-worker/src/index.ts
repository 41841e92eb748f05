export { type AppDeps, createApp } from './app.ts';
export { type Config, configShape, loadConfig } from './config.ts';
