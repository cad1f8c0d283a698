import { NavLink } from 'react-router';
import { useLogout, useSession } from './use-session.ts';

/** In the navigation while logged in: who, the token page for admins, log out. */
export function UserMenu() {
  const session = useSession();
  const logout = useLogout();
  const user = session.data?.user;
  if (user === undefined) return null;
  return (
    <>
      {user.role === 'admin' ? <NavLink to="/settings/tokens">Tokens</NavLink> : null}
      <span className="muted" data-testid="current-user">
        {user.name} ({user.role})
      </span>
      {user.via === 'session' ? (
        <button type="button" onClick={() => logout.mutate()} disabled={logout.isPending}>
          Log out
        </button>
      ) : null}
    </>
  );
}
