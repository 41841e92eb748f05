import { describeServiceLifecycle } from '../../infra/testing/service-contract.ts';

describeServiceLifecycle('admission-worker');
