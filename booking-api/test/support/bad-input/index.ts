// The table of hostile requests for test/api/bad-input.int.test.ts: for every
// endpoint, malformed, oversized and hostile bodies, params and headers, and
// misused tokens, each with the 4xx status and problem code it must get.
export { bookingCases, holdCases } from './bodies.ts';
export type { BadCase, Fixtures } from './case.ts';
export { availabilityCases, pnrCases, releaseCases, waitlistCases } from './lookups.ts';
export { tokenCases } from './tokens.ts';
export { webhookCases } from './webhook.ts';
