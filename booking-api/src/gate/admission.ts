import {
  type AdmissionClaims,
  type AdmissionVerifier,
  bearerToken,
  scopeShortfall,
  TokenProblem,
} from '@tatkal/waiting-room/tokens';
import type { MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    admission: AdmissionClaims;
  }
}

/**
 * Every business endpoint sits behind this gate: a valid admission token
 * (verified locally against the cached JWKS, plus one Redis round trip for
 * consumed and revoked tokens) or a 401/403 problem.
 */
/** A used-up admission may still read and cancel its own bookings, and nothing else. */
function readsOrCancelsABooking(method: string, path: string): boolean {
  if (method === 'GET') return /^\/v1\/bookings\/[^/]+$/.test(path);
  return method === 'POST' && /^\/v1\/bookings\/[^/]+\/cancel$/.test(path);
}

export function requireAdmission(verifier: AdmissionVerifier): MiddlewareHandler {
  return async (c, next) => {
    const claims = await verifier.verify(bearerToken(c.req.header('authorization')), {
      allowConsumed: readsOrCancelsABooking(c.req.method, c.req.path),
    });
    c.set('admission', claims);
    await next();
  };
}

/** 403 `token_scope` unless the token covers this journey, class and quota. */
export function assertCovers(
  claims: AdmissionClaims,
  request: { journeyId: number; classCode: string; quota: string },
): void {
  const shortfall = scopeShortfall(claims.scope, request);
  if (shortfall)
    throw new TokenProblem('token_scope', `This request is not covered: ${shortfall}.`);
}

/** 403 `token_scope` unless the token may book on this journey at all. */
export function assertJourney(claims: AdmissionClaims, journeyId: number): void {
  if (claims.scope.journeyId !== null && claims.scope.journeyId !== journeyId) {
    throw new TokenProblem(
      'token_scope',
      `This request is not covered: the token covers journey ${claims.scope.journeyId}, not journey ${journeyId}.`,
    );
  }
}
