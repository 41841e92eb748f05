import { describeServiceLifecycle } from '../../infra/testing/service-contract.ts';

describeServiceLifecycle('booking-api', {
  env: async () => ({ PAYMENT_WEBHOOK_SECRETS: 'a-webhook-secret-of-at-least-thirty-two-chars' }),
});
