import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Role } from '../../../../src/api/auth-types.ts';
import { authApi } from '../../api/auth.ts';
import { authEvents, setCsrfToken } from '../../api/client.ts';

// The session is one react-query entry: the gate, the navigation and the token
// page read it; logging in or out replaces it and drops every cached answer
// (another user may see other data).

export const sessionKey = ['auth-session'] as const;

export function useSession() {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: sessionKey,
    queryFn: async ({ signal }) => {
      const session = await authApi.session(signal);
      setCsrfToken(session.csrfToken);
      return session;
    },
    staleTime: Infinity,
  });
  useEffect(() => {
    const expired = () => void queryClient.invalidateQueries({ queryKey: sessionKey });
    authEvents.addEventListener('unauthenticated', expired);
    return () => authEvents.removeEventListener('unauthenticated', expired);
  }, [queryClient]);
  return query;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ username, password }: { username: string; password: string }) => authApi.login(username, password),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      queryClient.setQueryData(sessionKey, session);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => authApi.logout(),
    onSettled: () => {
      setCsrfToken(undefined);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      void queryClient.invalidateQueries({ queryKey: sessionKey });
    },
  });
}

export const tokensKey = ['auth-tokens'] as const;

export function useTokens() {
  return useQuery({ queryKey: tokensKey, queryFn: ({ signal }) => authApi.tokens(signal) });
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ name, role }: { name: string; role: Role }) => authApi.createToken(name, role),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => authApi.revokeToken(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}
