import { SignJWT } from 'jose';
import { z } from 'zod';
import { admissionClaimsSchema, type TokenScope, tokenScopeSchema } from './claims.ts';
import type { SigningKeySet } from './keys.ts';

/** The JOSE `typ` of admission tokens, so no other JWT signed by these keys passes for one. */
export const admissionTokenType = 'tatkal-admission+jwt';

export interface AdmissionTokenInput {
  issuer: string;
  audience: string;
  /** Visitor or user the admission belongs to. */
  subject: string;
  room: string;
  scope: TokenScope;
  /** Admission id, normally `admissionJti(room, queueNumber)`. */
  jti: string;
  /** When the visitor was admitted (epoch seconds), not when the token was asked for. */
  issuedAtSec: number;
  sessionSeconds: number;
}

const inputSchema = z.object({
  issuer: z.string().min(1),
  audience: z.string().min(1),
  subject: admissionClaimsSchema.shape.sub,
  room: admissionClaimsSchema.shape.room,
  scope: tokenScopeSchema,
  jti: admissionClaimsSchema.shape.jti,
  issuedAtSec: z.int().nonnegative(),
  sessionSeconds: z.int().positive(),
});

/**
 * Signs an admission token. Nothing in it is random or read from the clock and
 * Ed25519 signatures are deterministic, so the same input and key always give
 * the same string: a visitor asking again gets the same admission, not a second one.
 */
export async function issueAdmissionToken(
  signing: SigningKeySet['signing'],
  input: AdmissionTokenInput,
): Promise<string> {
  const valid = inputSchema.parse(input);
  // Claims are listed in a fixed order (and scope rebuilt) so the JSON, and
  // therefore the signature, does not depend on how the caller built its objects.
  const payload = {
    room: valid.room,
    scope: {
      journeyId: valid.scope.journeyId,
      classes: valid.scope.classes,
      quotas: valid.scope.quotas,
    },
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', kid: signing.kid, typ: admissionTokenType })
    .setIssuer(valid.issuer)
    .setAudience(valid.audience)
    .setSubject(valid.subject)
    .setJti(valid.jti)
    .setIssuedAt(valid.issuedAtSec)
    .setNotBefore(valid.issuedAtSec)
    .setExpirationTime(valid.issuedAtSec + valid.sessionSeconds)
    .sign(signing.privateKey);
}
