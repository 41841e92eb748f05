import type { Cluster, Redis } from 'ioredis';
import {
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import {
  type AdmissionClaims,
  admissionClaimsSchema,
  type RequestedScope,
  scopeShortfall,
} from './claims.ts';
import { admissionTokenType } from './issue.ts';
import { TokenProblem, type TokenProblemCode } from './problems.ts';
import { readTokenState, type TokenState } from './state.ts';

export interface AdmissionVerifierOptions {
  /** `createLocalJWKSet(jwks)`, or `createRemoteJWKSet(url)`, which caches the set. */
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** Allowed clock difference between issuer and verifier, seconds; default 5. */
  clockToleranceSec?: number;
  redis: Redis | Cluster;
  keyPrefix: string;
  /** Current time in epoch milliseconds; defaults to Date.now. */
  now?: () => number;
}

export interface VerifyExpectation {
  /** The room the request belongs to, if it names one. */
  room?: string;
  /** What the request books; the token's scope must cover it. */
  scope?: RequestedScope;
  /**
   * Accept a token whose admission was already used for a booking: for reading
   * and cancelling that booking, never for holding or booking again.
   */
  allowConsumed?: boolean;
}

export interface AdmissionVerifier {
  /** The token's claims if it may make this request; otherwise throws a TokenProblem. */
  verify(token: string | undefined, expect: VerifyExpectation): Promise<AdmissionClaims>;
}

// Ours are well under 1 KB; refuse megabyte "tokens" before parsing them.
const maxTokenLength = 4_096;

const quote = (value: unknown) => JSON.stringify(String(value).slice(0, 64));

/** The token in an `Authorization: Bearer <token>` header, if there is one. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9._~+/=-]+) *$/i.exec(authorization ?? '');
  return match?.[1];
}

/**
 * Verifies admission tokens locally: signature against the JWKS (fetched once
 * and cached when remote), claims against this verifier's issuer, audience and
 * clock, then room and scope against the request, then one Redis round trip
 * for consumption and revocation. Each refusal is its own TokenProblem code.
 */
export function createAdmissionVerifier(options: AdmissionVerifierOptions): AdmissionVerifier {
  const tolerance = options.clockToleranceSec ?? 5;
  if (!Number.isSafeInteger(tolerance) || tolerance < 0) {
    throw new RangeError(`clockToleranceSec must be whole seconds, at least 0, got ${tolerance}`);
  }
  const now = options.now ?? Date.now;

  async function authenticate(token: string, nowMs: number): Promise<AdmissionClaims> {
    checkHeader(token);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, options.keys, {
        algorithms: ['EdDSA'],
        typ: admissionTokenType,
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ['sub', 'jti', 'iat', 'nbf', 'exp'],
        clockTolerance: tolerance,
        currentDate: new Date(nowMs),
      }));
    } catch (error) {
      throw joseProblem(error);
    }
    const parsed = admissionClaimsSchema.safeParse(payload);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      const where = issue?.path.join('.') || 'payload';
      throw refuse('token_malformed', `The "${where}" claim is missing or has the wrong type.`);
    }
    const claims = parsed.data;
    // jose checks iat only together with maxTokenAge; a token from the future is not valid yet.
    if (claims.iat > Math.floor(nowMs / 1000) + tolerance) {
      throw refuse(
        'token_not_yet_valid',
        `The token was issued in the future (iat ${claims.iat}).`,
      );
    }
    return claims;
  }

  return {
    async verify(token, expect) {
      if (token === undefined || token === '') {
        throw refuse(
          'token_missing',
          'Send the admission token as "Authorization: Bearer <token>".',
        );
      }
      const claims = await authenticate(token, now());
      if (expect.room !== undefined && claims.room !== expect.room) {
        throw refuse(
          'token_wrong_room',
          `The token admits to room ${quote(claims.room)}, not ${quote(expect.room)}.`,
        );
      }
      if (expect.scope !== undefined) {
        const shortfall = scopeShortfall(claims.scope, expect.scope);
        if (shortfall !== undefined)
          throw refuse('token_scope', `This request is not covered: ${shortfall}.`);
      }
      let state: TokenState;
      try {
        state = await readTokenState(options.redis, options.keyPrefix, claims);
      } catch (error) {
        throw new TokenProblem(
          'token_state_unavailable',
          'Could not check whether the token was used or revoked; try again shortly.',
          { cause: error },
        );
      }
      if (state.consumed && !expect.allowConsumed) {
        throw refuse('token_consumed', 'This admission was already used for a booking.');
      }
      if (state.revokedBeforeSec !== null && claims.iat <= state.revokedBeforeSec) {
        throw refuse(
          'token_revoked',
          `Tokens of this room issued at or before ${state.revokedBeforeSec} were revoked; join the queue again.`,
        );
      }
      return claims;
    },
  };
}

const refuse = (code: TokenProblemCode, detail: string) => new TokenProblem(code, detail);

// Decided from the header alone, before any key lookup: `alg: none` and
// HS256-with-the-public-key forgeries never reach key selection.
function checkHeader(token: string): void {
  if (token.length > maxTokenLength) {
    throw refuse('token_malformed', `The token is longer than ${maxTokenLength} characters.`);
  }
  if (token.split('.').length !== 3) {
    throw refuse('token_malformed', 'The token is not a compact JWS (header.payload.signature).');
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw refuse('token_malformed', 'The token header is not base64url-encoded JSON.');
  }
  if (header.alg !== 'EdDSA') {
    throw refuse(
      'token_algorithm_refused',
      `The token is signed with alg ${quote(header.alg)}; only EdDSA is accepted.`,
    );
  }
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw refuse('token_unknown_key', 'The token header names no signing key ("kid").');
  }
}

function joseProblem(error: unknown): TokenProblem {
  if (error instanceof errors.JWTExpired) {
    return refuse('token_expired', 'The admission session is over; join the queue again.');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing' || error.reason === 'invalid') {
      return refuse(
        'token_malformed',
        `The "${error.claim}" claim is missing or has the wrong type.`,
      );
    }
    switch (error.claim) {
      case 'iss':
        return refuse('token_wrong_issuer', 'The token was not issued by this waiting room.');
      case 'aud':
        return refuse('token_wrong_audience', 'The token is not meant for this service.');
      case 'nbf':
        return refuse('token_not_yet_valid', 'The token is not valid yet.');
      case 'typ':
        return refuse(
          'token_malformed',
          `The token is not an admission token (typ ${admissionTokenType}).`,
        );
      default:
        return refuse('token_malformed', `The "${error.claim}" claim is not acceptable.`);
    }
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return refuse('token_unknown_key', 'The token was signed by a key this service does not know.');
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return refuse('token_bad_signature', 'The token signature does not verify.');
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return refuse('token_algorithm_refused', 'Only EdDSA-signed tokens are accepted.');
  }
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return refuse('token_malformed', 'The token is not a well-formed signed JWT.');
  }
  // Anything else is ours, not the token's: the JWKS could not be fetched or read.
  return new TokenProblem(
    'token_keys_unavailable',
    'The signing keys could not be loaded to check the token; try again shortly.',
    { cause: error },
  );
}
