// Why a payment webhook was refused. Each is a Problem with a stable `code`, so
// the route's one onError answers problem+json and a provider's dashboard shows
// the reason. Statuses follow RFC 6750's split (see ADR 0009): a missing or
// unacceptable signature is 401, a header that cannot be parsed is 400.
import { Problem } from '@tatkal/waiting-room/service';

export type WebhookRefusalReason = 'missing' | 'malformed' | 'stale' | 'invalid';

/** RFC 9110 requires a 401 to name the scheme that would be accepted. */
const challenge = { 'www-authenticate': 'Tatkal-Signature realm="payment-webhooks"' };

/** The signature check refused the delivery; nothing was read from or written to the database. */
export class WebhookSignatureRefused extends Problem {
  readonly reason: WebhookRefusalReason;

  constructor(
    reason: WebhookRefusalReason,
    init: { status: 400 | 401; code: string; title: string; detail: string },
  ) {
    super({ ...init, ...(init.status === 401 ? { headers: challenge } : {}) });
    this.name = 'WebhookSignatureRefused';
    this.reason = reason;
  }
}

export class WebhookSignatureMissing extends WebhookSignatureRefused {
  constructor() {
    super('missing', {
      status: 401,
      code: 'webhook_signature_missing',
      title: 'Webhook signature missing',
      detail: 'The request has no Tatkal-Signature header.',
    });
    this.name = 'WebhookSignatureMissing';
  }
}

export class WebhookSignatureMalformed extends WebhookSignatureRefused {
  constructor(why: string) {
    super('malformed', {
      status: 400,
      code: 'webhook_signature_malformed',
      title: 'Webhook signature malformed',
      detail: `The Tatkal-Signature header cannot be parsed: ${why}. Expected t=<unix seconds>,v1=<64 hex digits>.`,
    });
    this.name = 'WebhookSignatureMalformed';
  }
}

export class WebhookTimestampStale extends WebhookSignatureRefused {
  readonly skewSec: number;

  constructor(skewSec: number, toleranceSec: number) {
    super('stale', {
      status: 401,
      code: 'webhook_timestamp_stale',
      title: 'Webhook timestamp outside tolerance',
      detail: `The signed timestamp is ${Math.abs(skewSec)} s ${
        skewSec > 0 ? 'in the past' : 'in the future'
      }; at most ${toleranceSec} s either way is accepted.`,
    });
    this.name = 'WebhookTimestampStale';
    this.skewSec = skewSec;
  }
}

export class WebhookSignatureInvalid extends WebhookSignatureRefused {
  constructor() {
    super('invalid', {
      status: 401,
      code: 'webhook_signature_invalid',
      title: 'Webhook signature invalid',
      detail: 'No v1 signature matches the body under any configured webhook secret.',
    });
    this.name = 'WebhookSignatureInvalid';
  }
}

/** 422: the signed body is not a payment event this API understands. */
export class WebhookEventInvalid extends Problem {
  constructor(errors: ReadonlyArray<{ path: string; message: string }>) {
    super({
      status: 422,
      code: 'webhook_event_invalid',
      title: 'Webhook event invalid',
      detail: `The payment event is not valid: ${errors
        .map((error) => `${error.path || '(root)'} ${error.message}`)
        .join('; ')}`,
      extensions: { errors },
    });
    this.name = 'WebhookEventInvalid';
  }
}

/** 422: the event's booking id and PNR name two different bookings. */
export class PaymentEventMismatch extends Problem {
  constructor(bookingId: number, pnr: string) {
    super({
      status: 422,
      code: 'payment_event_mismatch',
      title: 'Payment event names another booking',
      detail: `Booking ${bookingId} does not have PNR ${pnr}.`,
    });
    this.name = 'PaymentEventMismatch';
  }
}
