import { describeConfigRefusal } from '../../infra/testing/service-contract.ts';

describeConfigRefusal('waiting-room', {
  requiredEnv: {
    QUEUE_TICKET_SECRET: 'a-queue-ticket-secret-of-enough-length-000',
    ADMISSION_KEYS_FILE: '/nonexistent/keys.json',
  },
  extraRefusals: [
    {
      case: 'QUEUE_TICKET_SECRET too short',
      env: {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tatkal',
        REDIS_URL: 'redis://127.0.0.1:6379',
        QUEUE_TICKET_SECRET: 'short',
      },
      names: 'QUEUE_TICKET_SECRET',
    },
    {
      case: 'BOOKING_URL not http',
      env: {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tatkal',
        REDIS_URL: 'redis://127.0.0.1:6379',
        BOOKING_URL: 'javascript:alert(1)',
      },
      names: 'BOOKING_URL',
    },
  ],
});
