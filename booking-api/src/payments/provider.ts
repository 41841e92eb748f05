// What the booking API needs from a payment provider: start a payment and be
// told the result later through the signed webhook.

export interface StartPaymentInput {
  bookingId: number;
  pnr: string;
  amountPaise: number;
  /** Where the provider POSTs the result: the booking API's /v1/payments/webhook. */
  callbackUrl: string;
}

export interface PaymentStarted {
  /** Stored with the payment; part of its unique reference. */
  provider: string;
  /** The provider's id for this attempt; each retry by the visitor gets a new one. */
  paymentRef: string;
}

export interface PaymentProvider {
  /** Resolves once the payment is started; never waits for its outcome. */
  startPayment(input: StartPaymentInput): Promise<PaymentStarted>;
}
