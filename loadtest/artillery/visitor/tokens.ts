// What a booking frontend reads from the admission token (its scope), and the tampered tokens a
// dishonest visitor tries. The booking API must refuse every one of them.

export interface TokenScope {
  journeyId: number;
  classes: string[];
  quotas: string[];
}

function decodeSegment(segment: string | undefined): Record<string, unknown> {
  if (!segment) throw new Error('the admission token is not a compact JWT');
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

const encodeSegment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The token's scope claim; the journey must be named, as every demo room's is. */
export function tokenScope(token: string): TokenScope {
  const scope = decodeSegment(token.split('.')[1]).scope as Record<string, unknown> | undefined;
  const journeyId = scope?.journeyId;
  const classes = scope?.classes;
  const quotas = scope?.quotas;
  if (typeof journeyId !== 'number' || !Array.isArray(classes) || !Array.isArray(quotas)) {
    throw new Error(`the admission token has no usable scope: ${JSON.stringify(scope)}`);
  }
  return { journeyId, classes: classes.map(String), quotas: quotas.map(String) };
}

/** The same token with its subject changed and the genuine signature kept: a forgery. */
export function forgedToken(token: string, subject: string): string {
  const [header, payload, signature] = token.split('.');
  return [header, encodeSegment({ ...decodeSegment(payload), sub: subject }), signature].join('.');
}

/** The same claims with `alg: none` and no signature. */
export function unsignedToken(token: string): string {
  const [header, payload] = token.split('.');
  return [encodeSegment({ ...decodeSegment(header), alg: 'none' }), payload, ''].join('.');
}
