import { Problem } from '@tatkal/waiting-room/service';
import type { MiddlewareHandler } from 'hono';

/**
 * The booking side's own backstop (CONTROLLER.md fact 3): admitted visitors
 * cannot be recalled, so when more requests are in flight than the process
 * can serve, new ones are refused at once with 503 and Retry-After instead of
 * queueing until they time out.
 */
export function shedLoad(
  maxInFlight: number,
  gauge: { inc(): void; dec(): void; value(): number },
): MiddlewareHandler {
  return async (_c, next) => {
    if (gauge.value() >= maxInFlight) {
      throw new Problem({
        status: 503,
        code: 'overloaded',
        title: 'Booking service busy',
        detail: 'Too many requests are being served; retry shortly. Your hold and place are kept.',
        headers: { 'retry-after': '2' },
      });
    }
    gauge.inc();
    try {
      await next();
    } finally {
      gauge.dec();
    }
  };
}
