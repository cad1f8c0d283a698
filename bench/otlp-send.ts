import http from 'node:http';

// How the benchmarks' senders post OTLP/HTTP protobuf: node:http with the caller's
// keep-alive agent rather than fetch (the sender shares the machine's two cores
// with the server, and undici's fetch costs it several times more CPU a request),
// retrying 429/503 after Retry-After as an OTLP exporter does.

function post(agent: http.Agent, url: URL, body: Uint8Array): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.byteLength } },
      (response) => {
        response.resume();
        response.once('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }));
      },
    );
    request.once('error', reject);
    request.end(body);
  });
}

/** Posts until a 2xx (true) or a status an exporter would not retry (false); `onRetry` counts the retries. */
export async function sendOtlp(agent: http.Agent, url: URL, body: Uint8Array, onRetry: () => void = () => {}): Promise<boolean> {
  for (;;) {
    const response = await post(agent, url, body);
    if (response.status >= 200 && response.status < 300) return true;
    if (response.status !== 429 && response.status !== 503) return false;
    onRetry();
    await new Promise((r) => setTimeout(r, Number(response.retryAfter ?? '1') * 1000));
  }
}
