// Trace and span ids are lowercase hex (32 and 16 digits), as the API returns them.

export function shortId(id: string): string {
  return id.slice(0, 8);
}

export function isTraceId(text: string): boolean {
  return /^[0-9a-f]{32}$/i.test(text.trim());
}

export function tracePath(traceId: string, spanId?: string): string {
  return spanId === undefined || spanId === '' ? `/trace/${traceId}` : `/trace/${traceId}?span=${spanId}`;
}
