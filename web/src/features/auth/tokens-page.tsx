import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Role } from '../../../../src/api/auth-types.ts';
import { Empty, ErrorState, Loading } from '../../components/state-views.tsx';
import { useCreateToken, useRevokeToken, useSession, useTokens } from './use-session.ts';

// Access tokens for scripts, Grafana and Prometheus scrapers (admin only): the
// secret is shown once, right after it is made; only its hash is kept.

export function TokensPage() {
  const session = useSession();
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('read');
  if (session.data?.user?.role !== 'admin') return <div className="page"><Empty title="Managing tokens needs the admin role." /></div>;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name, role }, { onSuccess: () => setName('') });
  };
  return (
    <div className="page">
      <h1>Access tokens</h1>
      <p className="muted">
        Send one as <code>Authorization: Bearer &lt;token&gt;</code> to the query API, the Prometheus API or <code>/metrics</code>.
      </p>
      <form className="search-form token-form" onSubmit={submit} aria-label="New token">
        <label>
          Name <input name="token-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <label>
          Role{' '}
          <select name="token-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="read">read</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button type="submit" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {create.isError ? <ErrorState error={create.error} what="a new token" /> : null}
      {revoke.isError ? <ErrorState error={revoke.error} what="the token's revocation" /> : null}
      {create.data ? (
        <div className="state" role="status">
          <strong>Token “{create.data.info.name}” created. Copy it now: it is not shown again.</strong>
          <code className="mono" data-testid="new-token">
            {create.data.token}
          </code>
        </div>
      ) : null}
      {tokens.isPending ? <Loading what="tokens" /> : null}
      {tokens.isError ? <ErrorState error={tokens.error} what="tokens" onRetry={() => void tokens.refetch()} /> : null}
      {tokens.data && tokens.data.tokens.length === 0 ? <Empty title="No access tokens yet." /> : null}
      {tokens.data && tokens.data.tokens.length > 0 ? (
        <table className="data-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Created</th>
              <th>By</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.data.tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{t.role}</td>
                <td>{new Date(t.createdAt).toLocaleString()}</td>
                <td>{t.createdBy}</td>
                <td>
                  <button type="button" onClick={() => revoke.mutate(t.id)} disabled={revoke.isPending} aria-label={`Revoke ${t.name}`}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
