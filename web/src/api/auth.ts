import type { CreatedTokenResponse, Role, SessionResponse, TokensResponse } from '../../../src/api/auth-types.ts';
import { ApiError, getJson, send } from './client.ts';

// Login, logout, session and access tokens (src/api/auth-routes.ts).

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export const authApi = {
  session: (signal?: AbortSignal) => getJson<SessionResponse>('/api/v1/auth/session', {}, signal),
  login: (username: string, password: string) => getJson<SessionResponse>('/api/v1/auth/login', {}, undefined, json('POST', { username, password })),
  logout: () => getJson<SessionResponse>('/api/v1/auth/logout', {}, undefined, { method: 'POST' }),
  tokens: (signal?: AbortSignal) => getJson<TokensResponse>('/api/v1/auth/tokens', {}, signal),
  createToken: (name: string, role: Role) => getJson<CreatedTokenResponse>('/api/v1/auth/tokens', {}, undefined, json('POST', { name, role })),
  async revokeToken(id: string): Promise<void> {
    const response = await send(`/api/v1/auth/tokens/${encodeURIComponent(id)}`, {}, undefined, { method: 'DELETE' });
    if (!response.ok) throw new ApiError(response.status, `could not revoke the token (${response.status})`);
  },
};
