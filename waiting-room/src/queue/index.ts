// The waiting room's queue core: the HTTP layer and the admission worker import it from here.
export {
  type AdmitOptions,
  type AdmitResult,
  admissionLogLength,
  admitNextBatch,
} from './admit-next-batch.ts';
export { isRoomDraining, setRoomDraining } from './drain.ts';
export {
  type FairnessDocument,
  fairnessDocument,
  fairnessDocumentSchema,
  publicVisitorHash,
  type ShuffleCheck,
  seedHash,
  verifyShuffle,
} from './fairness.ts';
export { HeartbeatBatcher, type HeartbeatBatcherOptions } from './heartbeat-batcher.ts';
export { type JoinResult, joinQueue } from './join-queue.ts';
export {
  type OpenShuffledQueueOptions,
  openShuffledQueue,
  type ReadPrequeueLogOptions,
  readPrequeueLog,
  readPrequeueOrder,
  sealPrequeue,
} from './prequeue.ts';
export {
  type QueueState,
  readQueueState,
  type StandingStatus,
  type VisitorStanding,
  visitorStanding,
} from './queue-state.ts';
export {
  type HeartbeatOutcome,
  heartbeatsPerScript,
  recordHeartbeats,
} from './record-heartbeats.ts';
export {
  QueueError,
  QueueErrorCode,
  type QueueErrorName,
  type QueueMode,
  type RedisLike,
  registerQueueScripts,
} from './scripts.ts';
export { derivePrequeueOrder, seedWords, shuffleIndices, uniformBelow } from './shuffle-order.ts';
