// Admission tokens a booking API must refuse: forged (another key, HS256 over
// the public key, alg none, a payload edited under a genuine signature), past
// or before their time, for another audience or issuer, or not admission
// tokens at all. Each is signed the way an attacker (or a misconfigured
// issuer) would, with the world's key id.
import {
  admissionTokenType,
  generateSigningKey,
  issueAdmissionToken,
  type SigningKeySet,
  signingKeySet,
  type TokenScope,
} from '@tatkal/waiting-room/tokens';
import { base64url, SignJWT } from 'jose';

export interface ForgedTokens {
  algNone: string;
  hs256WithPublicKey: string;
  otherKeySameKid: string;
  unknownKid: string;
  editedPayload: string;
  noTyp: string;
  noJti: string;
  expired: string;
  notYetValid: string;
  wrongAudience: string;
  wrongIssuer: string;
  oversized: string;
}

const issuer = 'tatkal-waiting-room';
const audience = 'tatkal-booking-api';

export async function forgeTokens(keys: SigningKeySet, scope: TokenScope): Promise<ForgedTokens> {
  const now = Math.floor(Date.now() / 1000);
  const kid = keys.signing.kid;
  const genuine = (overrides: Partial<Parameters<typeof issueAdmissionToken>[1]>) =>
    issueAdmissionToken(keys.signing, {
      issuer,
      audience,
      subject: 'forger',
      room: 'demo',
      scope,
      jti: `forged-${Math.random()}`,
      issuedAtSec: now - 1,
      sessionSeconds: 600,
      ...overrides,
    });
  const claims = (jti = 'forged') =>
    new SignJWT({ room: 'demo', scope })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject('forger')
      .setJti(jti)
      .setIssuedAt(now - 1)
      .setNotBefore(now - 1)
      .setExpirationTime(now + 600);

  const payload = {
    iss: issuer,
    aud: audience,
    sub: 'forger',
    room: 'demo',
    scope,
    jti: 'forged-none',
    iat: now - 1,
    nbf: now - 1,
    exp: now + 600,
  };
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
  const algNone = `${encode({ alg: 'none', typ: admissionTokenType, kid })}.${encode(payload)}.`;

  // The classic confusion attack: the public key's JWK used as an HMAC secret.
  const publicKey = keys.jwks.keys[0] ?? {};
  const hs256WithPublicKey = await claims()
    .setProtectedHeader({ alg: 'HS256', typ: admissionTokenType, kid })
    .sign(new TextEncoder().encode(JSON.stringify(publicKey)));

  const impostor = await signingKeySet([await generateSigningKey(kid)]);
  const otherKeySameKid = await claims()
    .setProtectedHeader({ alg: 'EdDSA', typ: admissionTokenType, kid })
    .sign(impostor.signing.privateKey);
  const stranger = await signingKeySet([await generateSigningKey('not-a-known-kid')]);
  const unknownKid = await claims()
    .setProtectedHeader({ alg: 'EdDSA', typ: admissionTokenType, kid: 'not-a-known-kid' })
    .sign(stranger.signing.privateKey);

  // A genuine token whose payload is swapped for one with a wider scope.
  const [header, , signature] = (await genuine({})).split('.');
  const widened = { ...payload, scope: { journeyId: null, classes: ['1A'], quotas: ['GN'] } };
  const editedPayload = `${header}.${encode(widened)}.${signature}`;

  const noTyp = await claims()
    .setProtectedHeader({ alg: 'EdDSA', kid })
    .sign(keys.signing.privateKey);
  const noJti = await new SignJWT({ room: 'demo', scope })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject('forger')
    .setIssuedAt(now - 1)
    .setNotBefore(now - 1)
    .setExpirationTime(now + 600)
    .setProtectedHeader({ alg: 'EdDSA', typ: admissionTokenType, kid })
    .sign(keys.signing.privateKey);

  return {
    algNone,
    hs256WithPublicKey,
    otherKeySameKid,
    unknownKid,
    editedPayload,
    noTyp,
    noJti,
    expired: await genuine({ issuedAtSec: now - 700, sessionSeconds: 600 }),
    notYetValid: await genuine({ issuedAtSec: now + 300 }),
    wrongAudience: await genuine({ audience: 'tatkal-admin-api' }),
    wrongIssuer: await genuine({ issuer: 'someone-else' }),
    oversized: `${await genuine({})}${'A'.repeat(5_000)}`,
  };
}
