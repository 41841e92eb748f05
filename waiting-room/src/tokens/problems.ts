import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { Problem } from '../service/problem.ts';

/**
 * Every way an admission token can be refused, by stable code. 401: the token
 * does not prove anything (missing, forged, expired). 403: the token is genuine
 * but does not allow this request (other room, other scope, already used).
 * 503: the verifier could not decide (keys or token state unreachable) and
 * refuses rather than guess.
 */
export const tokenProblemCodes = {
  missing: 'token_missing',
  malformed: 'token_malformed',
  algorithmRefused: 'token_algorithm_refused',
  unknownKey: 'token_unknown_key',
  badSignature: 'token_bad_signature',
  wrongIssuer: 'token_wrong_issuer',
  wrongAudience: 'token_wrong_audience',
  expired: 'token_expired',
  notYetValid: 'token_not_yet_valid',
  wrongRoom: 'token_wrong_room',
  scope: 'token_scope',
  consumed: 'token_consumed',
  revoked: 'token_revoked',
  keysUnavailable: 'token_keys_unavailable',
  stateUnavailable: 'token_state_unavailable',
} as const;

export type TokenProblemCode = (typeof tokenProblemCodes)[keyof typeof tokenProblemCodes];

interface TokenProblemKind {
  status: ContentfulStatusCode;
  title: string;
}

const kinds: Record<TokenProblemCode, TokenProblemKind> = {
  token_missing: { status: 401, title: 'Admission token required' },
  token_malformed: { status: 401, title: 'Admission token is malformed' },
  token_algorithm_refused: { status: 401, title: 'Admission token algorithm refused' },
  token_unknown_key: { status: 401, title: 'Admission token signed by an unknown key' },
  token_bad_signature: { status: 401, title: 'Admission token signature is invalid' },
  token_wrong_issuer: { status: 401, title: 'Admission token from another issuer' },
  token_wrong_audience: { status: 401, title: 'Admission token for another audience' },
  token_expired: { status: 401, title: 'Admission token expired' },
  token_not_yet_valid: { status: 401, title: 'Admission token not yet valid' },
  token_wrong_room: { status: 403, title: 'Admission token is for another waiting room' },
  token_scope: { status: 403, title: 'Admission token does not cover this request' },
  token_consumed: { status: 403, title: 'Admission token already used' },
  token_revoked: { status: 403, title: 'Admission token revoked' },
  token_keys_unavailable: { status: 503, title: 'Admission token keys unavailable' },
  token_state_unavailable: { status: 503, title: 'Admission token state unavailable' },
};

/** The status a token problem code is answered with. */
export function tokenProblemStatus(code: TokenProblemCode): ContentfulStatusCode {
  return kinds[code].status;
}

// RFC 6750 §3: a request without credentials gets a bare challenge; one whose
// token is unusable gets error="invalid_token"; a genuine token that does not
// reach far enough gets error="insufficient_scope".
function challengeHeaders(code: TokenProblemCode): Record<string, string> {
  if (code === 'token_missing') return { 'www-authenticate': 'Bearer realm="tatkal"' };
  if (code === 'token_scope') {
    return { 'www-authenticate': 'Bearer realm="tatkal", error="insufficient_scope"' };
  }
  if (kinds[code].status === 401) {
    return { 'www-authenticate': 'Bearer realm="tatkal", error="invalid_token"' };
  }
  if (kinds[code].status === 503) return { 'retry-after': '1' };
  return {};
}

/** A refused admission token; `code` tells clients which check failed. */
export class TokenProblem extends Problem {
  declare readonly code: TokenProblemCode;

  constructor(code: TokenProblemCode, detail: string, options?: { cause?: unknown }) {
    super({ ...kinds[code], code, detail, headers: challengeHeaders(code) });
    this.name = 'TokenProblem';
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
