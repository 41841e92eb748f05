// The ticks as a running part of the admission-worker process: the room watcher that keeps
// one tick scheduler per active room, the BullMQ worker that runs ticks, and the audit
// flusher. main.ts starts it; stopping happens in bounded steps (see stop*()).
import type { Database } from '@tatkal/drizzle';
import type { Logger } from '@tatkal/waiting-room/service';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { AuditFlusher } from '../decisions/audit-flush.ts';
import type { TickMetrics } from './metrics.ts';
import { type DecideFn, runTick, type TickOutcome } from './run-tick.ts';
import { listTickRooms, RoomRows } from './tick-room.ts';
import { startTickWorker, TickSchedulers } from './tick-schedulers.ts';

export interface TickServiceOptions {
  redis: Redis;
  db: Database;
  pool: pg.Pool;
  prefix: string;
  workerId: string;
  decide: DecideFn;
  logger: Logger;
  metrics: TickMetrics;
  /** BullMQ connections: they must wait for Redis (maxRetriesPerRequest: null). */
  queueConnection: Redis;
  workerConnection: Redis;
  concurrency: number;
  lockTtlMs: number;
  healthStaleMs: number;
  databaseTimeoutMs: number;
  roomRefreshMs: number;
  auditFlushMs: number;
  auditBatchSize: number;
  now?: () => number;
}

export interface TickService {
  /** Stops watching rooms (schedulers stay in Redis for the other workers). */
  stopWatching(): Promise<void>;
  /** Waits for running ticks to finish and stops taking new ones. */
  stopWorker(): Promise<void>;
  /** Flushes the audit one last time. */
  stopAudit(): Promise<void>;
  closeQueue(): Promise<void>;
}

export function startTickService(options: TickServiceOptions): TickService {
  const now = options.now ?? Date.now;
  const { logger, metrics } = options;
  const schedulers = new TickSchedulers(options.queueConnection, options.prefix);
  const seenRooms = new Set<string>();

  const tickDeps = {
    redis: options.redis,
    db: options.db,
    pool: options.pool,
    prefix: options.prefix,
    workerId: options.workerId,
    decide: options.decide,
    now,
    lockTtlMs: options.lockTtlMs,
    healthStaleMs: options.healthStaleMs,
    databaseTimeoutMs: options.databaseTimeoutMs,
    roomRows: new RoomRows({ timeoutMs: 4 * options.databaseTimeoutMs, maxAgeMs: 30_000 }),
  };

  const tick = async (roomId: string): Promise<void> => {
    seenRooms.add(roomId);
    let outcome: TickOutcome;
    try {
      outcome = await runTick(tickDeps, roomId);
    } catch (error) {
      metrics.ticks.inc({ room: roomId, outcome: 'failed' });
      logger.warn({ err: error, room: roomId }, 'tick failed');
      return;
    }
    metrics.ticks.inc({ room: roomId, outcome: outcome.kind });
    if (outcome.kind === 'fence_lost') {
      metrics.lockLost.inc({ room: roomId, step: outcome.step });
      logger.warn(
        { room: roomId, step: outcome.step },
        'tick lost its lock; its step changed nothing',
      );
    }
    if (outcome.kind !== 'ran') return;
    const { record, recovered } = outcome;
    if (recovered) {
      metrics.recovered.inc({ room: roomId });
      logger.warn(
        { room: roomId, fence: recovered.fence, batch: recovered.batch },
        'recorded the batch of a tick that died after admitting',
      );
    }
    metrics.duration.observe({ room: roomId }, outcome.durationMs / 1000);
    metrics.admitted.inc({ room: roomId }, record.batch.admitted);
    metrics.skipped.inc({ room: roomId }, record.batch.skipped);
    metrics.rules.inc({ room: roomId, rule: record.decision.rule });
    metrics.rate.set({ room: roomId }, record.decision.ratePerSecond);
    metrics.sessionCap.set({ room: roomId }, record.decision.activeSessionCap);
    logger.debug(
      { room: roomId, fence: record.fence, rule: record.decision.rule, batch: record.batch },
      'tick',
    );
  };

  const worker: Worker = startTickWorker(
    options.workerConnection,
    options.prefix,
    options.concurrency,
    tick,
  );
  let lastWorkerWarning = 0;
  worker.on('error', (error) => {
    // Reconnect attempts while Redis is down would otherwise flood the log.
    if (now() - lastWorkerWarning < 10_000) return;
    lastWorkerWarning = now();
    logger.warn({ err: error }, 'tick worker cannot reach Redis');
  });

  let watching: Promise<void> = Promise.resolve();
  let stopped = false;
  const watch = async (): Promise<void> => {
    try {
      const active = await listTickRooms(options.db, now());
      for (const room of active) seenRooms.add(room.id);
      const changes = await schedulers.reconcile(active);
      if (changes.added > 0 || changes.removed > 0) {
        logger.info({ ...changes, active: active.map((r) => r.id) }, 'tick schedulers updated');
      }
    } catch (error) {
      logger.warn({ err: error }, 'could not reconcile tick schedulers');
    }
  };
  watching = watch();
  const watchTimer = setInterval(() => {
    if (!stopped) watching = watch();
  }, options.roomRefreshMs);
  watchTimer.unref();

  const audit = new AuditFlusher(
    { redis: options.redis, db: options.db, prefix: options.prefix },
    {
      intervalMs: options.auditFlushMs,
      batchSize: options.auditBatchSize,
      rooms: () => seenRooms,
      onFlushed: (_room, rows) => metrics.auditRows.inc(rows),
      onError: (room, error) => {
        metrics.auditFailures.inc();
        logger.warn({ err: error, room }, 'audit flush failed; retried at the next flush');
      },
    },
  );

  return {
    async stopWatching() {
      stopped = true;
      clearInterval(watchTimer);
      // A reconcile waiting on a Redis that is down would wait for it forever: leave it; the
      // schedulers live in Redis and the next process reconciles them.
      if (options.queueConnection.status === 'ready') await watching;
    },
    async stopWorker() {
      // With Redis gone, close() would wait for it forever; ticks live in Redis.
      const redisDown = options.workerConnection.status !== 'ready';
      if (redisDown) options.workerConnection.disconnect();
      await worker.close(redisDown);
    },
    stopAudit: () => audit.stop(),
    closeQueue: () => schedulers.close(),
  };
}
