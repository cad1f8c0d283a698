// Two roles, as the issue asks: `read` sees every signal through the query API
// and the UI; `admin` also manages access tokens.

export const roles = ['read', 'admin'] as const;
export type Role = (typeof roles)[number];

export function isRole(text: string): text is Role {
  return (roles as readonly string[]).includes(text);
}

/** Who made a request: a logged-in user (session) or an access token. */
export interface Principal {
  kind: 'session' | 'token';
  /** The user's name, or the token's name. */
  name: string;
  role: Role;
  /** The tenant whose data it reads (tenancy/); undefined: the default tenant. */
  tenant?: string | undefined;
}
