// The waiting room's public surface. The admission worker imports the queue
// operations; the booking API imports the admission-token verifier.
export { type AppDeps, createApp } from './app.ts';
export { type Config, configShape, loadConfig } from './config.ts';
export * from './queue/index.ts';
export { layoutVersion, type RoomKeys, roomKeyPattern, roomKeys } from './redis-keys.ts';
export {
  acceptsJoins,
  effectiveRoomState,
  type Room,
  type RoomState,
  roomFromRow,
} from './rooms/room.ts';
export * from './tokens/index.ts';
