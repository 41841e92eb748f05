// Shared by the token tests: a fixed clock, a room's scope, and hand-built
// JWS for forgeries that jose refuses to produce.
import type { AdmissionTokenInput, TokenScope } from '../../src/tokens/index.ts';
import { admissionJti, admissionTokenType, TokenProblem } from '../../src/tokens/index.ts';

export const issuer = 'tatkal-waiting-room';
export const audience = 'tatkal-booking-api';
/** "Now" for every verifier in these tests (epoch seconds). */
export const nowSec = 1_900_000_000;
export const scope: TokenScope = { journeyId: 42, classes: ['3A', '2A'], quotas: ['TQ'] };
export const request = { journeyId: 42, classCode: '3A', quota: 'TQ' };

let rooms = 0;
/** A room id no other test in the file uses, so consumed and revoked state never leak. */
export const newRoom = (label = 'room') => `${label}-${++rooms}`;

export function tokenInput(
  room: string,
  overrides: Partial<AdmissionTokenInput> = {},
): AdmissionTokenInput {
  return {
    issuer,
    audience,
    subject: 'visitor-1',
    room,
    scope,
    jti: admissionJti(room, 7),
    issuedAtSec: nowSec - 60,
    sessionSeconds: 600,
    ...overrides,
  };
}

/** The claims an admission token for `tokenInput(room)` carries. */
export function claimsFor(input: AdmissionTokenInput) {
  return {
    iss: input.issuer,
    aud: input.audience,
    sub: input.subject,
    room: input.room,
    scope: input.scope,
    jti: input.jti,
    iat: input.issuedAtSec,
    nbf: input.issuedAtSec,
    exp: input.issuedAtSec + input.sessionSeconds,
  };
}

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWS with any header, payload and signature function (or none). */
export function handBuiltToken(
  header: Record<string, unknown>,
  payload: unknown,
  sign: (signingInput: string) => Buffer | string = () => '',
): string {
  const signingInput = `${part({ typ: admissionTokenType, ...header })}.${part(payload)}`;
  const signature = sign(signingInput);
  return `${signingInput}.${typeof signature === 'string' ? signature : signature.toString('base64url')}`;
}

/** Replaces a token's payload, keeping its header and signature. */
export function withPayload(
  token: string,
  change: (payload: Record<string, unknown>) => void,
): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
  change(claims);
  return `${header}.${part(claims)}.${signature}`;
}

/** The TokenProblem a promise rejects with (fails the test if it resolves or throws anything else). */
export async function refusal(promise: Promise<unknown>): Promise<TokenProblem> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if ('resolved' in outcome) {
    throw new Error(`expected a refusal, got ${JSON.stringify(outcome.resolved)}`);
  }
  if (!(outcome.error instanceof TokenProblem)) throw outcome.error;
  return outcome.error;
}
