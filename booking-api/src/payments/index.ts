// Payments: the provider interface, the built-in simulator, webhook signatures
// and the webhook verb the route calls.
export {
  type PaymentEvent,
  type PaymentEventType,
  paymentEventSchema,
  paymentEventTypes,
} from './event.ts';
export {
  handlePaymentWebhook,
  type PaymentWebhookDeps,
  type PaymentWebhookInput,
  type PaymentWebhookResult,
  type WebhookHeaders,
  type WebhookOutcome,
} from './handle-webhook.ts';
export {
  PaymentEventMismatch,
  WebhookEventInvalid,
  type WebhookRefusalReason,
  WebhookSignatureInvalid,
  WebhookSignatureMalformed,
  WebhookSignatureMissing,
  WebhookSignatureRefused,
  WebhookTimestampStale,
} from './problems.ts';
export type { PaymentProvider, PaymentStarted, StartPaymentInput } from './provider.ts';
export {
  defaultToleranceSec,
  type RawBody,
  signatureHeader,
  signWebhook,
  type VerifyWebhookSignatureInput,
  verifyWebhookSignature,
  type WebhookVerification,
} from './signature.ts';
export {
  type DeliveryReport,
  PaymentSimulator,
  type PaymentSimulatorOptions,
  seededRandom,
} from './simulator.ts';
