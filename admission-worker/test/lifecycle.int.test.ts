import { rooms } from '@tatkal/drizzle';
import { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { describeServiceLifecycle } from '../../infra/testing/service-contract.ts';
import {
  isolatedServiceEnv,
  spawnService,
  waitForListening,
} from '../../infra/testing/service-process.ts';
import { bullPrefix, tickQueueName } from '../src/ticks/tick-schedulers.ts';
import { openTestEnv, readAllDecisions, seedOpenRoom } from './ticks/fixtures.ts';

describeServiceLifecycle('admission-worker');

describe('admission-worker ticks in a running process', () => {
  it('schedules a tick per active room, exports tick metrics, drops a closed room and stops cleanly', async () => {
    const env = openTestEnv();
    const bull = new Redis(process.env.REDIS_URL ?? '', { maxRetriesPerRequest: null });
    const queue = new Queue(tickQueueName, { connection: bull, prefix: bullPrefix(env.prefix) });
    const service = spawnService('admission-worker', {
      ...isolatedServiceEnv(),
      ROOM_REFRESH_MS: '200',
    });
    try {
      const roomId = await seedOpenRoom(env.db, { tickIntervalMs: 200 });
      const url = await waitForListening(service);
      const schedulerOf = async () =>
        (await queue.getJobSchedulers(0, -1)).find((s) => s.key === `tick:${roomId}`);
      for (
        let i = 0;
        i < 300 && (await readAllDecisions(env.redis, env.prefix, roomId)).length < 2;
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect((await schedulerOf())?.every).toBe(200);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(
        /tatkal_admission_ticks_total\{[^}]*room="demo"[^}]*outcome="ran"[^}]*\} [1-9]/,
      );
      expect(metrics).toContain('tatkal_admission_tick_duration_seconds_bucket');
      expect(metrics).toMatch(/tatkal_admission_decisions_total\{[^}]*room="demo"/);

      await env.db.db.update(rooms).set({ status: 'closed' }).where(eq(rooms.id, roomId));
      for (let i = 0; i < 300 && (await schedulerOf()) !== undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await schedulerOf()).toBeUndefined();

      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      const messages = service.logLines().map((line) => line.msg);
      expect(messages.at(-1)).toBe('shutdown complete');
      expect(service.logLines().filter((line) => line.msg === 'shutdown step timed out')).toEqual(
        [],
      );
    } finally {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
      await queue.close();
      bull.disconnect();
      await env.close();
    }
  });
});
