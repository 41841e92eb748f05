// Admission tokens: Ed25519-signed JWTs that let an admitted visitor book
// (DESIGN §3 "Admission token", docs/adr/0006-admission-tokens.md).
export {
  type AdmissionClaims,
  admissionClaimsSchema,
  admissionJti,
  type RequestedScope,
  scopeShortfall,
  type TokenScope,
  tokenScopeSchema,
} from './claims.ts';
export {
  type AdmissionTokenInput,
  admissionTokenType,
  issueAdmissionToken,
} from './issue.ts';
export { keyFileMode } from './key-file-write.ts';
export {
  createSigningKeyFile,
  generateSigningKey,
  KeyFileError,
  loadSigningKeys,
  type PrivateSigningJwk,
  parseKeyFile,
  publicJwk,
  readKeyFile,
  rotateSigningKeys,
  type SigningKeySet,
  signingKeySet,
} from './keys.ts';
export {
  TokenProblem,
  type TokenProblemCode,
  tokenProblemCodes,
  tokenProblemStatus,
} from './problems.ts';
export {
  consumeAdmissionToken,
  consumedRetentionSec,
  readTokenState,
  revokeRoomTokens,
  roomTokensRevokedBefore,
  type TokenState,
} from './state.ts';
export {
  type AdmissionVerifier,
  type AdmissionVerifierOptions,
  bearerToken,
  createAdmissionVerifier,
  type VerifyExpectation,
} from './verify.ts';
