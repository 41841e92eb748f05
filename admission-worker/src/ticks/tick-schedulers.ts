// One BullMQ job scheduler per active room produces its ticks (every tick_interval_ms); any
// number of worker processes consume them. Every process reconciles the schedulers with the
// rooms table: upserts are idempotent, so processes doing it at once agree.
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { TickRoom } from './tick-room.ts';

export const tickQueueName = 'admission-ticks';
const tickJobName = 'tick';

/** BullMQ's keys share one hash tag, so its scripts run on Redis Cluster. */
export function bullPrefix(prefix: string): string {
  return `${prefix}:{bull}`;
}

export function tickSchedulerId(roomId: string): string {
  return `tick:${roomId}`;
}

const tickJobData = z.object({ roomId: z.string().min(1).max(64) });

export class TickSchedulers {
  readonly queue: Queue;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(tickQueueName, { connection, prefix: bullPrefix(prefix) });
    // Failures surface in reconcile(); readiness reports Redis.
    this.queue.on('error', () => {});
  }

  /** Makes the schedulers match `active`: one per room at its interval, none for others. */
  async reconcile(active: readonly TickRoom[]): Promise<{ added: number; removed: number }> {
    const existing = await this.queue.getJobSchedulers(0, -1);
    const byId = new Map(existing.map((s) => [s.key, s]));
    let added = 0;
    for (const room of active) {
      const current = byId.get(tickSchedulerId(room.id));
      // Upserting an unchanged scheduler would re-create its next job; leave it alone.
      if (current && current.every === room.tickIntervalMs) continue;
      await this.queue.upsertJobScheduler(
        tickSchedulerId(room.id),
        { every: room.tickIntervalMs },
        {
          name: tickJobName,
          data: { roomId: room.id },
          // A tick is worth nothing later: no retries, no history kept.
          opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 },
        },
      );
      added++;
    }
    const wanted = new Set(active.map((room) => tickSchedulerId(room.id)));
    let removed = 0;
    for (const scheduler of existing) {
      if (wanted.has(scheduler.key) || !scheduler.key.startsWith('tick:')) continue;
      if (await this.queue.removeJobScheduler(scheduler.key)) removed++;
    }
    return { added, removed };
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

/** Consumes tick jobs, `concurrency` rooms at a time, handing each room id to `tick`. */
export function startTickWorker(
  connection: Redis,
  prefix: string,
  concurrency: number,
  tick: (roomId: string) => Promise<void>,
): Worker {
  return new Worker(
    tickQueueName,
    async (job) => {
      const data = tickJobData.parse(job.data);
      await tick(data.roomId);
    },
    {
      connection,
      prefix: bullPrefix(prefix),
      concurrency,
      // A tick is short; a stalled one (its worker died) is not worth re-running, the
      // scheduler has produced the next one already.
      maxStalledCount: 0,
    },
  );
}
