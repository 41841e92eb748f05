// The sender for deployments without a webhook: one structured log line per notification.
import type { Logger } from '@tatkal/waiting-room/service';
import { type BookingNotification, eventType, type Notifier } from './notifier.ts';

export function createLogNotifier(logger: Logger): Notifier {
  return {
    name: 'log',
    async send(notification: BookingNotification) {
      logger.info(
        {
          notificationId: notification.id,
          event: eventType(notification.event),
          pnr: notification.booking.pnr,
          bookingId: notification.booking.id,
          journeyId: notification.booking.journeyId,
          subject: notification.booking.subject,
          status: notification.booking.status,
          occurredAt: notification.occurredAt,
        },
        'booking notification',
      );
    },
  };
}
