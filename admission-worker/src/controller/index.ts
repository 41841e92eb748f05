export { defaultControllerConfig, resolveControllerConfig } from './config.ts';
export { decide, initialControllerState } from './controller.ts';
export type {
  BookingHealth,
  ControllerConfig,
  ControllerDecision,
  ControllerInputs,
  ControllerResult,
  ControllerRule,
  ControllerState,
  DatabaseHealth,
  OperatorBounds,
  QueueSignals,
  SessionSignals,
  Signal,
} from './types.ts';
