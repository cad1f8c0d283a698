import type { ReactNode } from 'react';
import { ErrorState, Loading } from '../../components/state-views.tsx';
import { LoginPage } from './login-page.tsx';
import { useSession } from './use-session.ts';

/** The pages when authentication is off or someone is logged in; the login page otherwise. */
export function AuthGate({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session.isPending) return <Loading what="Tracehouse" />;
  if (session.isError) return <div className="page"><ErrorState error={session.error} what="the session" onRetry={() => void session.refetch()} /></div>;
  if (session.data.authEnabled && session.data.user === undefined) return <LoginPage />;
  return <>{children}</>;
}
