import { createPublicKey, verify } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';

// Verifies an OpenID Connect ID token (a JWS, RFC 7515) against the provider's
// JWKS: RS256/PS256/ES256 signatures with node:crypto, then the claims OIDC Core
// 3.1.3.7 requires (iss, aud, exp, nonce). No JWT library: this is the whole of
// what a relying party needs, and `alg: none` or HMAC can never be accepted.

export class TokenRejectedError extends Error {
  readonly code = 'id_token_rejected';
}

export interface IdTokenClaims {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  [claim: string]: unknown;
}

const algorithms: Record<string, { hash: string; padding?: 'pss'; ec?: true }> = {
  RS256: { hash: 'sha256' },
  PS256: { hash: 'sha256', padding: 'pss' },
  ES256: { hash: 'sha256', ec: true },
};

function decodePart(part: string | undefined, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {}
  throw new TokenRejectedError(`the ID token's ${what} is not a JSON object`);
}

export async function verifyIdToken(
  token: string,
  keys: (kid: string | undefined) => Promise<JsonWebKey | undefined>,
  expect: { issuer: string; clientId: string; nonce: string; nowMs?: number },
): Promise<IdTokenClaims> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenRejectedError('the ID token is not a signed JWT');
  const header = decodePart(parts[0], 'header');
  const claims = decodePart(parts[1], 'payload');
  const alg = algorithms[String(header['alg'])];
  if (alg === undefined) throw new TokenRejectedError(`ID token algorithm ${String(header['alg'])} is not accepted (RS256, PS256, ES256)`);
  const jwk = await keys(typeof header['kid'] === 'string' ? header['kid'] : undefined);
  if (jwk === undefined) throw new TokenRejectedError('no key of the provider matches the ID token');
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const signed = verify(alg.hash, Buffer.from(`${parts[0]}.${parts[1]}`), {
    key,
    ...(alg.padding === 'pss' ? { padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 } : {}),
    ...(alg.ec ? { dsaEncoding: 'ieee-p1363' as const } : {}),
  }, Buffer.from(parts[2]!, 'base64url'));
  if (!signed) throw new TokenRejectedError('the ID token signature is not valid');

  const nowS = (expect.nowMs ?? Date.now()) / 1000;
  const skewS = 60;
  if (claims['iss'] !== expect.issuer) throw new TokenRejectedError(`the ID token's issuer is ${JSON.stringify(claims['iss'])}, not ${expect.issuer}`);
  const aud = claims['aud'];
  if (!(aud === expect.clientId || (Array.isArray(aud) && aud.includes(expect.clientId)))) throw new TokenRejectedError('the ID token is for another client (aud)');
  if (typeof claims['exp'] !== 'number' || claims['exp'] + skewS < nowS) throw new TokenRejectedError('the ID token has expired');
  if (typeof claims['iat'] === 'number' && claims['iat'] - skewS > nowS) throw new TokenRejectedError('the ID token is issued in the future');
  if (claims['nonce'] !== expect.nonce) throw new TokenRejectedError('the ID token nonce does not match this login');
  if (typeof claims['sub'] !== 'string' || claims['sub'] === '') throw new TokenRejectedError('the ID token has no subject');
  return claims as IdTokenClaims;
}
