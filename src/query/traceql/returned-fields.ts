import type { Condition, Field, Spanset } from './ast.ts';

// Tempo returns, with each matched span, the attributes its query compares
// besides the ones select() names; so does the search here.

/** select() fields, then the attributes the query compares (Tempo returns those with each span). */
export function returnedFields(select: Field[], spanset: Spanset): Field[] {
  const out: Field[] = [...select];
  const seen = new Set(out.map((f) => JSON.stringify(f)));
  const add = (f: Field) => {
    const k = JSON.stringify(f);
    if (f.kind === 'attribute' && !seen.has(k)) {
      seen.add(k);
      out.push(f);
    }
  };
  const walkCondition = (c: Condition): void => {
    if (c.kind === 'compare') add(c.field);
    else if (c.kind === 'and' || c.kind === 'or') {
      walkCondition(c.left);
      walkCondition(c.right);
    }
  };
  const walk = (s: Spanset): void => {
    if (s.kind === 'filter') walkCondition(s.condition);
    else if (s.kind === 'scalar') walk(s.input);
    else {
      walk(s.left);
      walk(s.right);
    }
  };
  walk(spanset);
  return out;
}

