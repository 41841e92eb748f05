import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * What a room's tokens may book. `journeyId: null` covers every journey on sale
 * in the room; `classes` and `quotas` list what is covered and are never empty,
 * so a mistake in a room's configuration refuses bookings instead of allowing all.
 */
export interface TokenScope {
  journeyId: number | null;
  classes: string[];
  quotas: string[];
}

export interface AdmissionClaims {
  iss: string;
  aud: string;
  sub: string;
  room: string;
  scope: TokenScope;
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
}

/** One booking request, as the booking API asks the verifier to check it. */
export interface RequestedScope {
  journeyId: number;
  classCode: string;
  quota: string;
}

const code = z.string().min(1).max(16);
const epochSeconds = z.int().nonnegative();

export const tokenScopeSchema = z.object({
  journeyId: z.int().positive().nullable(),
  classes: z.array(code).min(1).max(32),
  quotas: z.array(code).min(1).max(8),
});

/** The payload of an admission token; anything else the signer put in is dropped. */
export const admissionClaimsSchema = z.object({
  iss: z.string().min(1),
  aud: z.string().min(1),
  sub: z.string().min(1).max(256),
  room: z.string().min(1).max(128),
  scope: tokenScopeSchema,
  jti: z.string().min(1).max(128),
  iat: epochSeconds,
  nbf: epochSeconds,
  exp: epochSeconds,
});

/** Why `scope` does not cover `request`, or undefined when it does. */
export function scopeShortfall(scope: TokenScope, request: RequestedScope): string | undefined {
  if (scope.journeyId !== null && scope.journeyId !== request.journeyId) {
    return `the token covers journey ${scope.journeyId}, not journey ${request.journeyId}`;
  }
  if (!scope.classes.includes(request.classCode)) {
    return `the token covers classes ${scope.classes.join(', ')}, not ${request.classCode}`;
  }
  if (!scope.quotas.includes(request.quota)) {
    return `the token covers quotas ${scope.quotas.join(', ')}, not ${request.quota}`;
  }
  return undefined;
}

/**
 * The stable id of one admission: the same room and queue number always give
 * the same jti, so a token asked for again is the same token, and consuming it
 * once consumes the admission.
 */
export function admissionJti(room: string, queueNumber: number): string {
  if (!Number.isSafeInteger(queueNumber) || queueNumber < 0) {
    throw new RangeError(`queue number must be a non-negative integer, got ${queueNumber}`);
  }
  return createHash('sha256').update(`${room}:${queueNumber}`).digest('base64url').slice(0, 22);
}
