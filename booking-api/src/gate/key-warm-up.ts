// The waiting room's public keys, fetched once at start rather than on the first token checked.
// At a sale's opening the first admitted visitors arrive while the waiting room is at its
// busiest: a key fetch made then can time out, and every token would be refused with 503
// token_keys_unavailable until it succeeded. Fetching at start, retrying until the waiting room
// answers, keeps the opening's tokens verified locally from the first one.
import type { Logger } from '@tatkal/waiting-room/service';

export interface ReloadableKeys {
  reload(): Promise<void>;
}

export interface WarmUpOptions {
  /** Wait between failed attempts, doubling up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

/** Starts loading the keys in the background; returns a stop function for shutdown. */
export function warmUpAdmissionKeys(
  keys: ReloadableKeys,
  logger: Pick<Logger, 'info' | 'warn'>,
  options: WarmUpOptions = {},
): () => void {
  const maxRetryMs = options.maxRetryMs ?? 5_000;
  let retryMs = options.retryMs ?? 250;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  const attempt = async (): Promise<void> => {
    try {
      await keys.reload();
      if (!stopped) logger.info({ failures }, 'admission keys loaded');
    } catch (error) {
      if (stopped) return;
      failures++;
      // One warning, then quiet: the waiting room may simply not be up yet.
      if (failures === 1)
        logger.warn({ err: error }, 'admission keys not loaded yet; retrying until they are');
      timer = setTimeout(() => void attempt(), retryMs);
      timer.unref();
      retryMs = Math.min(maxRetryMs, retryMs * 2);
    }
  };
  void attempt();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
