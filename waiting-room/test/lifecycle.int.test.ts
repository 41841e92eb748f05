import { describeServiceLifecycle } from '../../infra/testing/service-contract.ts';
import { ticketSecret, writeKeyFile } from './support/world.ts';

describeServiceLifecycle('waiting-room', {
  env: async () => ({
    QUEUE_TICKET_SECRET: ticketSecret,
    ADMISSION_KEYS_FILE: await writeKeyFile(),
  }),
});
