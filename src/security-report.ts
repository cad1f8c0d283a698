import { isLoopback } from './api/host-check.ts';
import type { Endpoint } from './component/component.ts';
import type { Logger } from './lib/log.ts';

// The start-up log's word on exposure, as the Collector since v0.104.0: where
// everything listens on loopback, how to listen on all interfaces; where a
// listener is reachable from other machines without authentication, a warning
// that cannot be missed.

export function reportExposure(
  logger: Logger,
  receivers: readonly Endpoint[],
  api: { host: string; port: number; authenticated: boolean },
): void {
  const listeners = [
    ...receivers.map((e) => ({ what: `OTLP/${e.protocol === 'grpc' ? 'gRPC' : 'HTTP'} receiver`, host: e.host, port: e.port, authenticated: e.authenticated === true })),
    { what: 'query API and web UI', ...api },
  ];
  const exposed = listeners.filter((l) => !isLoopback(l.host));
  if (exposed.length === 0) {
    logger.info(
      'listening on localhost only; to accept other machines, set --otlp-grpc-host, --otlp-http-host and --api-host (or endpoint: in --config) to 0.0.0.0, with --ingest-token and `tracehouse user add` for authentication',
    );
  }
  for (const l of exposed.filter((e) => !e.authenticated)) {
    const how = l.what.startsWith('OTLP') ? 'set --ingest-token (or auth.authenticator in --config)' : 'create a user with `npx tracehouse user add NAME --role admin`';
    logger.warn(
      `!!! SECURITY: the ${l.what} listens on ${l.host}:${l.port} beyond this machine WITHOUT AUTHENTICATION: anyone who can reach it can ${l.what.startsWith('OTLP') ? 'write telemetry' : 'read every trace, log and metric'}; ${how}, or bind it to localhost`,
    );
  }
}
