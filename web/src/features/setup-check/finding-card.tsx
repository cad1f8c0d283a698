import { Link } from 'react-router';
import type { DoctorFinding } from '../../../../src/api/types.ts';
import { shortId, tracePath } from '../../lib/ids.ts';
import { CopyFix } from './copy-fix.tsx';

export function FindingCard({ finding, service }: { finding: DoctorFinding; service: string }) {
  return (
    <article className={`finding finding-${finding.severity}`} aria-label={`${finding.title} (${service})`}>
      <header>
        <span className={`badge ${finding.severity === 'critical' ? 'badge-error' : ''}`}>{finding.severity}</span>
        <h3>{finding.title}</h3>
        <code className="muted finding-id">{finding.id}</code>
        {finding.scoreRules.map((r) => (
          <span key={r} className="badge">{r}</span>
        ))}
      </header>
      <p>{finding.evidence.summary}.</p>
      {finding.evidence.examples.length > 0 ? (
        <p className="muted">
          Example:{' '}
          {finding.evidence.examples.map((e, i) =>
            e.traceId !== undefined ? (
              <Link key={i} to={tracePath(e.traceId, e.spanId)}>
                {e.spanName ?? 'span'} in trace {shortId(e.traceId)}
              </Link>
            ) : (
              <q key={i}>{e.text}</q>
            ),
          )}
        </p>
      ) : null}
      <p className="muted">Likely cause: {finding.cause}</p>
      <CopyFix text={finding.fix} label={`Fix for ${finding.title}`} />
    </article>
  );
}
