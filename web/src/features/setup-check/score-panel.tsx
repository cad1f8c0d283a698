import { useState } from 'react';
import type { InstrumentationScore } from '../../../../src/api/types.ts';

const statusText = { passed: 'passed', failed: 'failed', not_applicable: 'not applicable', not_implemented: 'not implemented' } as const;

/** The Instrumentation Score, its band, and every rule of the spec with its status (the spec asks to show what is left out). */
export function ScorePanel({ score, service, specUrl }: { score: InstrumentationScore; service: string; specUrl: string }) {
  const [open, setOpen] = useState(false);
  const failed = score.rules.filter((r) => r.status === 'failed');
  return (
    <div className="score" aria-label={`Instrumentation Score of ${service}`}>
      <div className="score-figure">
        <strong>{score.score === null ? '–' : Math.round(score.score)}</strong>
        <span>{score.band ?? 'no rule applies'}</span>
      </div>
      <div>
        <p>
          <a href={specUrl} target="_blank" rel="noreferrer">Instrumentation Score</a>
          {failed.length > 0 ? `: fails ${failed.map((r) => r.id).join(', ')}` : ': every rule evaluated passes'}.
          {score.complete ? null : ' Not every rule of the specification is implemented, so the score may differ from a complete implementation.'}
        </p>
        <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide rules' : 'Show all rules'}
        </button>
        {open ? (
          <table className="data-table">
            <thead>
              <tr><th>Rule</th><th>Impact</th><th>Status</th><th>Detail</th></tr>
            </thead>
            <tbody>
              {score.rules.map((r) => (
                <tr key={r.id} className={`rule-${r.status}`}>
                  <th scope="row" title={r.description}>{r.id}</th>
                  <td>{r.impact} ({r.weight})</td>
                  <td>{statusText[r.status]}</td>
                  <td>{r.detail ?? r.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </div>
  );
}
