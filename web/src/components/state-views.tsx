import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';

// Loading, empty and error states: each says what is happening and what to do.

export function Loading({ what }: { what: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty" role="status">
      <strong>{title}</strong>
      {children === undefined ? null : <div>{children}</div>}
    </div>
  );
}

function advice(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Reload the page; if it keeps failing, look at the Tracehouse log.';
  if (error.status === 0) return 'Start Tracehouse (npm start) or check the address, then press Retry.';
  if (error.status === 400) return error.parameter === undefined ? 'Check the search fields.' : `Fix the "${error.parameter}" field and search again.`;
  if (error.status === 404) return 'It may be older than the retention (--retention), or not yet sent: SDKs export in batches every few seconds.';
  if (error.status === 504) return 'Narrow the time range or add filters, then search again.';
  return 'Storage did not answer; retry in a moment, and see the Tracehouse log for the cause.';
}

export function ErrorState({ error, what, onRetry }: { error: unknown; what: string; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="state state-error" role="alert">
      <strong>Could not load {what}.</strong>
      <div>{message}</div>
      <div>{advice(error)}</div>
      {onRetry === undefined ? null : (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
