// Booking notifications as the jobs hand them to a sender. A notifier delivers one
// notification or throws; it never reports success for something it did not deliver.
import type { BookingStatus, ClassCode, NotificationEvent, Quota } from '@tatkal/drizzle/schema';

export interface BookingNotification {
  /** The outbox row's id: stable across redeliveries, so receivers can drop duplicates. */
  id: number;
  event: NotificationEvent;
  /** When the booking's status changed (the outbox row was written in that transaction). */
  occurredAt: string;
  booking: {
    id: number;
    pnr: string;
    journeyId: number;
    classCode: ClassCode;
    quota: Quota;
    /** The booking's status when the notification is sent (it may have moved on). */
    status: BookingStatus;
    /** The admission token's subject: who booked. */
    subject: string;
    waitlistNumber: number | null;
    /** Payment deadline of a pending (e.g. just promoted) booking. */
    expiresAt: string | null;
  };
}

export interface Notifier {
  readonly name: string;
  send(notification: BookingNotification): Promise<void>;
}

/** Why a delivery failed, kept on the outbox row and in the log. */
export class NotificationDeliveryFailed extends Error {
  /** True when retrying the same request cannot help (the receiver refused it with a 4xx). */
  readonly permanent: boolean;
  readonly attempts: number;

  constructor(message: string, options: { permanent: boolean; attempts: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NotificationDeliveryFailed';
    this.permanent = options.permanent;
    this.attempts = options.attempts;
  }
}

/** The event name receivers see, e.g. booking.confirmed. */
export const eventType = (event: NotificationEvent): string => `booking.${event}`;
