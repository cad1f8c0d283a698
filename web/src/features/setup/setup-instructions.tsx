import type { UiSetupResponse } from '../../../../src/api/web-ui-types.ts';
import { Loading } from '../../components/state-views.tsx';
import { useReceivers } from './use-setup.ts';

// What a newcomer copies to point an OpenTelemetry SDK here: the standard
// exporter variables (OTel SDK environment-variable spec), with the ports the
// receivers actually bound and the host the browser reached this page on.

function endpointFor(receivers: UiSetupResponse['receivers'], protocol: 'http' | 'grpc'): string | undefined {
  const receiver = receivers.find((r) => r.protocol === protocol);
  if (receiver === undefined) return undefined;
  const wildcard = receiver.host === '0.0.0.0' || receiver.host === '::' || receiver.host === '';
  const host = wildcard ? window.location.hostname : receiver.host;
  return `${receiver.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${receiver.port}`;
}

/** The receivers ask for credentials (auth.authenticator, --ingest-token): the SDK must send them. */
function headerLine(receivers: UiSetupResponse['receivers']): string {
  return receivers.some((r) => r.authenticated) ? '\nOTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20<your ingest token>' : '';
}

export function SetupInstructions({ title = 'No telemetry yet' }: { title?: string }) {
  const receivers = useReceivers();
  if (receivers.isPending) return <Loading what="receiver addresses" />;
  const list = receivers.data?.receivers ?? [];
  const http = endpointFor(list, 'http');
  const grpc = endpointFor(list, 'grpc');
  return (
    <section className="setup" aria-label="Send telemetry to Tracehouse">
      <h2>{title}</h2>
      <p>
        Point any OpenTelemetry SDK or Collector at Tracehouse with the standard exporter variables. This page refreshes by itself
        and moves on as soon as the first spans or logs arrive.
      </p>
      {http === undefined ? null : (
        <>
          <h3>OTLP over HTTP (protobuf)</h3>
          <pre className="copyable" aria-label="HTTP exporter settings">
            {`OTEL_EXPORTER_OTLP_ENDPOINT=${http}\nOTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf${headerLine(list)}`}
          </pre>
        </>
      )}
      {grpc === undefined ? null : (
        <>
          <h3>OTLP over gRPC</h3>
          <pre className="copyable" aria-label="gRPC exporter settings">
            {`OTEL_EXPORTER_OTLP_ENDPOINT=${grpc}\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc${headerLine(list)}`}
          </pre>
        </>
      )}
      {http === undefined && grpc === undefined ? (
        <p>No OTLP receiver is configured: add an <code>otlp</code> receiver to the pipelines of your --config file.</p>
      ) : null}
      <p>
        For a Python app: <code>OTEL_SERVICE_NAME=payment-api opentelemetry-instrument uvicorn main:app</code> with the lines above
        in its environment. A Collector forwards with an <code>otlp</code> or <code>otlphttp</code> exporter to the same address.
      </p>
      <p className="muted" role="status">
        <span className="spinner" aria-hidden="true" /> Waiting for data…
      </p>
    </section>
  );
}
