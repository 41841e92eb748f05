// Token misuse against requests that are otherwise valid, on every gated endpoint.
import { auto, type BadCase, booking, type Fx, two, waitlist } from './case.ts';

/** Token misuse, against a request that is otherwise valid. */
export function tokenCases(): BadCase[] {
  const misuse: Array<[string, Fx<string | null>, number, string]> = [
    ['no Authorization header', () => null, 401, 'token_missing'],
    ['a Basic credential', () => 'Basic dXNlcjpwYXNzd29yZA==', 401, 'token_missing'],
    ['a token that is not a JWT', () => 'not.a.jwt', 401, 'token_malformed'],
    ['a 5 KB token', (f) => f.tokens.oversized, 401, 'token_malformed'],
    ['alg none', (f) => f.tokens.algNone, 401, 'token_algorithm_refused'],
    [
      'HS256 over the public key',
      (f) => f.tokens.hs256WithPublicKey,
      401,
      'token_algorithm_refused',
    ],
    [
      'a forged signature (another key, same kid)',
      (f) => f.tokens.otherKeySameKid,
      401,
      'token_bad_signature',
    ],
    ['an unknown signing key', (f) => f.tokens.unknownKid, 401, 'token_unknown_key'],
    ['an edited payload', (f) => f.tokens.editedPayload, 401, 'token_bad_signature'],
    ['no typ', (f) => f.tokens.noTyp, 401, 'token_malformed'],
    ['no jti', (f) => f.tokens.noJti, 401, 'token_malformed'],
    ['an expired token', (f) => f.tokens.expired, 401, 'token_expired'],
    ['a token not valid yet', (f) => f.tokens.notYetValid, 401, 'token_not_yet_valid'],
    ['another audience', (f) => f.tokens.wrongAudience, 401, 'token_wrong_audience'],
    ['another issuer', (f) => f.tokens.wrongIssuer, 401, 'token_wrong_issuer'],
    ['a consumed admission', (f) => f.tokens.consumed, 403, 'token_consumed'],
    ['a revoked admission', (f) => f.tokens.revoked, 403, 'token_revoked'],
  ];
  const endpoints: Array<[string, Omit<BadCase, 'name' | 'status' | 'code' | 'token'>]> = [
    ['POST /v1/holds', { method: 'POST', path: () => '/v1/holds', json: auto }],
    [
      'POST /v1/bookings',
      { method: 'POST', path: () => '/v1/bookings', json: (f) => booking(f, two) },
    ],
    ['POST /v1/waitlist', { method: 'POST', path: () => '/v1/waitlist', json: waitlist }],
    [
      'POST /v1/bookings/:pnr/pay',
      { method: 'POST', path: (f) => `/v1/bookings/${f.pendingPnr}/pay` },
    ],
    ['DELETE /v1/holds/:holdId', { method: 'DELETE', path: (f) => `/v1/holds/${f.liveHoldId}` }],
    [
      'GET availability',
      { method: 'GET', path: (f) => `/v1/journeys/${f.journeyId}/availability` },
    ],
  ];
  const cases: BadCase[] = [];
  for (const [endpoint, request] of endpoints) {
    for (const [name, token, status, code] of misuse) {
      cases.push({ ...request, name: `${endpoint} with ${name}`, token, status, code });
    }
  }
  // A used-up admission may still read and cancel its own booking, but nobody else's.
  for (const [name, token, status, code] of misuse.filter(([n]) => !n.includes('consumed'))) {
    cases.push({
      name: `POST /v1/bookings/:pnr/cancel with ${name}`,
      method: 'POST',
      path: (f) => `/v1/bookings/${f.pendingPnr}/cancel`,
      token,
      status,
      code,
    });
  }
  cases.push(
    {
      name: 'POST /v1/holds with a token covering another class',
      method: 'POST',
      path: () => '/v1/holds',
      json: auto,
      token: (f) => f.tokens.narrow,
      status: 403,
      code: 'token_scope',
    },
    {
      name: "GET /v1/bookings/:pnr with a consumed admission, for someone else's booking",
      method: 'GET',
      path: (f) => `/v1/bookings/${f.pendingPnr}`,
      token: (f) => f.tokens.consumed,
      status: 403,
      code: 'not_your_booking',
    },
    {
      name: "POST /v1/bookings/:pnr/cancel with a consumed admission, for someone else's booking",
      method: 'POST',
      path: (f) => `/v1/bookings/${f.pendingPnr}/cancel`,
      token: (f) => f.tokens.consumed,
      status: 403,
      code: 'not_your_booking',
    },
  );
  return cases;
}
