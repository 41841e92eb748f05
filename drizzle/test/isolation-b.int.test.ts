import { describeIsolationProbe } from '../../infra/testing/isolation-probe.ts';

describeIsolationProbe('B');
