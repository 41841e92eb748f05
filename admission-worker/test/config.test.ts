import { describeConfigRefusal } from '../../infra/testing/service-contract.ts';

describeConfigRefusal('admission-worker');
