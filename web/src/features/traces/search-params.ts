// The trace search as URL parameters, spelled as the API spells them
// (`attr=payment.currency=EUR`, `minDuration=250ms`), so the page URL and the API
// request carry the same words.

export type AttributeOperator = '=' | '!=' | '>' | '<';
export const attributeOperators: readonly AttributeOperator[] = ['=', '!=', '>', '<'];

export interface AttributeCondition {
  key: string;
  operator: AttributeOperator;
  value: string;
}

export interface TraceSearch {
  service: string;
  spanName: string;
  minDuration: string;
  maxDuration: string;
  status: '' | 'ok' | 'error' | 'unset';
  conditions: AttributeCondition[];
  limit: string;
}

export function parseCondition(text: string): AttributeCondition | undefined {
  const match = /^(.+?)(!=|=|>|<)(.*)$/.exec(text);
  if (match === null) return undefined;
  return { key: match[1]!, operator: match[2] as AttributeOperator, value: match[3]! };
}

export function formatCondition(condition: AttributeCondition): string {
  return `${condition.key.trim()}${condition.operator}${condition.value}`;
}

export function readSearch(params: URLSearchParams): TraceSearch {
  const status = params.get('status') ?? '';
  return {
    service: params.get('service') ?? '',
    spanName: params.get('spanName') ?? '',
    minDuration: params.get('minDuration') ?? '',
    maxDuration: params.get('maxDuration') ?? '',
    status: status === 'ok' || status === 'error' || status === 'unset' ? status : '',
    conditions: params.getAll('attr').map(parseCondition).filter((c) => c !== undefined),
    limit: params.get('limit') ?? '',
  };
}

/** The search's parameters on top of `params` (range and sort kept). */
export function writeSearch(params: URLSearchParams, search: TraceSearch): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const name of ['service', 'spanName', 'minDuration', 'maxDuration', 'status', 'attr', 'limit']) next.delete(name);
  const set = (name: string, value: string) => {
    if (value.trim() !== '') next.set(name, value.trim());
  };
  set('service', search.service);
  set('spanName', search.spanName);
  set('minDuration', search.minDuration);
  set('maxDuration', search.maxDuration);
  set('status', search.status);
  for (const condition of search.conditions) {
    if (condition.key.trim() !== '') next.append('attr', formatCondition(condition));
  }
  set('limit', search.limit);
  return next;
}

/** API parameters of the search (without the range). */
export function searchToApi(search: TraceSearch): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (search.service) out['service'] = search.service;
  if (search.spanName) out['spanName'] = search.spanName;
  if (search.minDuration) out['minDuration'] = search.minDuration;
  if (search.maxDuration) out['maxDuration'] = search.maxDuration;
  if (search.status) out['status'] = search.status;
  if (search.conditions.length > 0) out['attr'] = search.conditions.map(formatCondition);
  out['limit'] = search.limit || '100';
  return out;
}
