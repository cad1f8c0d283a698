import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPaymentApi } from './app.ts';
import { startTelemetry } from './telemetry.ts';

// node --import tsx examples/node-payment-api/main.ts
//
// OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318, or :4317 for grpc),
// OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf, http/json or grpc), HOST and PORT
// (default 127.0.0.1:3000; PORT=0 takes any free port).

// First: tracers, meters and loggers obtained before this are no-ops.
const telemetry = startTelemetry();
const server = createServer(createPaymentApi());
const host = process.env['HOST'] || '127.0.0.1';
const port = Number(process.env['PORT'] ?? 3000);

server.listen(port, host, () => {
  const address = server.address() as AddressInfo;
  console.log(`payment-api listening on http://${host}:${address.port}`);
});

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing requests, then flushing telemetry`);
  server.closeIdleConnections();
  await new Promise((resolve) => server.close(resolve));
  // Without this, whatever the batch processors and the metric reader still hold is lost.
  try {
    await telemetry.shutdown();
  } catch (error) {
    console.error(`${(error as Error).message}:`, ...((error as AggregateError).errors ?? [error]).map(String));
    process.exit(1);
  }
  process.exit(0);
}
process.on('SIGINT', (signal) => void stop(signal));
process.on('SIGTERM', (signal) => void stop(signal));
