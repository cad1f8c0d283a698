import { useState } from 'react';
import type { FormEvent } from 'react';
import { useLogin, useSession } from './use-session.ts';

export function LoginPage() {
  const login = useLogin();
  const session = useSession();
  // A single sign-on that failed comes back as /?login_error=... (auth-routes.ts).
  const ssoError = new URLSearchParams(location.search).get('login_error');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ username, password });
  };
  return (
    <main id="main" className="page login-page">
      <form className="login-form" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Log in to Tracehouse</h1>
        <label>
          User name
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {login.isError ? (
          <p role="alert" className="text-error">
            {login.error.message}
          </p>
        ) : null}
        <button type="submit" disabled={login.isPending}>
          {login.isPending ? 'Logging in…' : 'Log in'}
        </button>
        {ssoError !== null && !login.isError ? (
          <p role="alert" className="text-error">
            Single sign-on failed: {ssoError}
          </p>
        ) : null}
        {session.data?.oidc === true ? <a href="/api/v1/auth/oidc/login">Log in with single sign-on</a> : null}
        <p className="muted">
          Users are created on the server with <code>npx tracehouse user add NAME --role admin</code>.
        </p>
      </form>
    </main>
  );
}
