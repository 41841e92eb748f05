// Connections for the queue's integration tests. The integration setup sets REDIS_URL and
// a per-file REDIS_KEY_PREFIX in a beforeAll hook, so both are read when a test needs
// them, never at import time.
import * as shared from '../../../infra/testing/redis-clients.ts';

export type { Clients } from '../../../infra/testing/redis-clients.ts';
export const { testPrefix, testRedisUrl } = shared;
export const standaloneClients = (count = 3) => shared.standaloneClients(count);
export const clusterClients = (count = 3) => shared.clusterClients(count);
