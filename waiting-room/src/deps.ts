import type { JoinLimits } from './limits/join-limits.ts';
import type { HeartbeatBatcher, RedisLike } from './queue/index.ts';
import type { RoomKeys } from './redis-keys.ts';
import type { QueueStateCache } from './rooms/queue-state-cache.ts';
import type { RoomCatalog } from './rooms/room-catalog.ts';
import type { AdmissionKeyStore } from './visitors/admission-keys.ts';

/** Everything the waiting room's verbs need, passed in explicitly (tests build their own). */
export interface WaitingRoomDeps {
  redis: RedisLike;
  keysFor: (roomId: string) => RoomKeys;
  catalog: RoomCatalog;
  queueState: QueueStateCache;
  heartbeats: HeartbeatBatcher;
  admissionKeys: AdmissionKeyStore;
  settings: {
    ticketSecret: string;
    bookingUrl: string;
    issuer: string;
    audience: string;
    joinLimits: JoinLimits;
  };
  now: () => number;
  random: () => number;
}
