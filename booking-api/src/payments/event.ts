// The payment event a provider POSTs to the webhook, validated only after its
// signature has been checked over the raw bytes.
import { z } from 'zod';
import { WebhookEventInvalid } from './problems.ts';

export const paymentEventTypes = ['payment.succeeded', 'payment.failed'] as const;
export type PaymentEventType = (typeof paymentEventTypes)[number];

// Unknown members are kept out of the parsed event but stay in the stored copy:
// providers add fields without warning, and that must not make a payment fail.
export const paymentEventSchema = z.object({
  id: z.string().min(1).max(128),
  type: z.enum(paymentEventTypes),
  paymentRef: z.string().min(1).max(128),
  bookingId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  pnr: z.string().regex(/^[0-9]{10}$/, 'must be 10 digits'),
  amountPaise: z.number().int().positive().max(2_147_483_647),
  occurredAt: z.iso.datetime({ offset: true }),
});
export type PaymentEvent = z.infer<typeof paymentEventSchema>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The event and the JSON document it came from (kept verbatim with the payment). */
export function parsePaymentEvent(rawBody: string | Uint8Array): {
  event: PaymentEvent;
  document: unknown;
} {
  let document: unknown;
  try {
    document = JSON.parse(typeof rawBody === 'string' ? rawBody : utf8.decode(rawBody));
  } catch {
    throw new WebhookEventInvalid([{ path: '', message: 'is not UTF-8 JSON' }]);
  }
  const result = paymentEventSchema.safeParse(document);
  if (!result.success) {
    throw new WebhookEventInvalid(
      result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    );
  }
  return { event: result.data, document };
}
