import type { Role } from '../auth/roles.ts';

// Response types of the login and token routes (auth-routes.ts), imported by the
// web client with `import type`; no runtime code here.

export type { Role } from '../auth/roles.ts';

/** GET /api/v1/auth/session */
export interface SessionResponse {
  /** False while no user exists (--api-auth auto): everything is open on loopback. */
  authEnabled: boolean;
  /** `tenant`: whose data this user or token reads; absent for the default tenant. */
  user?: { name: string; role: Role; via: 'session' | 'token'; tenant?: string };
  /** Send back as X-CSRF-Token on POST/PUT/DELETE made with the session cookie. */
  csrfToken?: string;
  /** Single sign-on is configured: the login page links to /api/v1/auth/oidc/login. */
  oidc?: boolean;
}

export interface TokenInfoJson {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  createdBy: string;
  tenant?: string;
}

/** GET /api/v1/auth/tokens */
export interface TokensResponse {
  tokens: TokenInfoJson[];
}

/** POST /api/v1/auth/tokens: the secret is in this answer only. */
export interface CreatedTokenResponse {
  token: string;
  info: TokenInfoJson;
}
