import { describeConfigRefusal } from '../../infra/testing/service-contract.ts';

const secret = 'a-webhook-secret-of-at-least-thirty-two-chars';

describeConfigRefusal('booking-api', {
  requiredEnv: { PAYMENT_WEBHOOK_SECRETS: secret },
  extraRefusals: [
    {
      case: 'webhook secret too short',
      env: {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tatkal',
        REDIS_URL: 'redis://127.0.0.1:6379',
        PAYMENT_WEBHOOK_SECRETS: 'short',
      },
      names: 'PAYMENT_WEBHOOK_SECRETS',
    },
    {
      case: 'failure rate above 1',
      env: {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tatkal',
        REDIS_URL: 'redis://127.0.0.1:6379',
        PAYMENT_SIMULATOR_FAILURE_RATE: '1.5',
      },
      names: 'PAYMENT_SIMULATOR_FAILURE_RATE',
    },
  ],
});
