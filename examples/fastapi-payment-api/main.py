"""Programmatic instrumentation (the seed's Step 2A, 5 and 6).

    OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 \
    OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
    uvicorn main:app --port 8000

The SDK is set up here, in code, before the FastAPI app is created. The same file
serves both OTLP transports: OTEL_EXPORTER_OTLP_PROTOCOL picks `http/protobuf`
(default; Tracehouse's port 4318) or `grpc` (port 4317), and
OTEL_EXPORTER_OTLP_ENDPOINT says where Tracehouse (or a Collector) listens.
"""

from __future__ import annotations

import logging
import os

# FastAPI/ASGI instrumentation 0.63b0 still emits the old HTTP conventions by
# default (http.method, http.server.duration in ms). Opting in gives the stable
# ones the seed lists: http.request.method, http.response.status_code and
# http.server.request.duration in seconds. Read when the app is instrumented.
os.environ.setdefault("OTEL_SEMCONV_STABILITY_OPT_IN", "http")

from opentelemetry import metrics, trace  # noqa: E402
from opentelemetry._logs import set_logger_provider  # noqa: E402
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor  # noqa: E402
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler  # noqa: E402
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor  # noqa: E402
from opentelemetry.sdk.metrics import MeterProvider  # noqa: E402
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader  # noqa: E402
from opentelemetry.sdk.resources import Resource  # noqa: E402
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import BatchSpanProcessor  # noqa: E402

from payment_api import SERVICE_VERSION, create_app  # noqa: E402

PROTOCOL = os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")

if PROTOCOL == "grpc":
    from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter
    from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

    # gRPC: one endpoint for every signal; an http:// scheme means no TLS.
    ENDPOINT = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317")
    span_exporter = OTLPSpanExporter(endpoint=ENDPOINT)
    metric_exporter = OTLPMetricExporter(endpoint=ENDPOINT)
    log_exporter = OTLPLogExporter(endpoint=ENDPOINT)
elif PROTOCOL == "http/protobuf":
    from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    # OTLP/HTTP: one path per signal under the base URL.
    ENDPOINT = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318").rstrip("/")
    span_exporter = OTLPSpanExporter(endpoint=f"{ENDPOINT}/v1/traces")
    metric_exporter = OTLPMetricExporter(endpoint=f"{ENDPOINT}/v1/metrics")
    log_exporter = OTLPLogExporter(endpoint=f"{ENDPOINT}/v1/logs")
else:
    raise SystemExit(f"OTEL_EXPORTER_OTLP_PROTOCOL={PROTOCOL!r}: expected 'http/protobuf' or 'grpc'")

# Resource.create also merges OTEL_RESOURCE_ATTRIBUTES (e.g. service.instance.id);
# the attributes given here win over it.
resource = Resource.create(
    {
        "service.name": "payment-api",
        "service.version": SERVICE_VERSION,
        "deployment.environment": "production",
    }
)

# Traces. BatchSpanProcessor reads OTEL_BSP_SCHEDULE_DELAY (default 5000 ms).
tracer_provider = TracerProvider(resource=resource)
tracer_provider.add_span_processor(BatchSpanProcessor(span_exporter))
trace.set_tracer_provider(tracer_provider)

# Metrics. The seed exports every 60 s; OTEL_METRIC_EXPORT_INTERVAL (ms) shortens it.
metric_reader = PeriodicExportingMetricReader(
    metric_exporter,
    export_interval_millis=float(os.environ.get("OTEL_METRIC_EXPORT_INTERVAL", "60000")),
)
meter_provider = MeterProvider(resource=resource, metric_readers=[metric_reader])
metrics.set_meter_provider(meter_provider)

# Logs. BatchLogRecordProcessor reads OTEL_BLRP_SCHEDULE_DELAY (default 1000 ms).
logger_provider = LoggerProvider(resource=resource)
logger_provider.add_log_record_processor(BatchLogRecordProcessor(log_exporter))
set_logger_provider(logger_provider)

# Console output for people, then the OTel handler on the root logger: every record
# logged inside a request carries that request's trace id and span id.
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logging.getLogger().addHandler(LoggingHandler(level=logging.NOTSET, logger_provider=logger_provider))

# The providers flush and shut down at interpreter exit (atexit); the app also
# flushes them when it shuts down, because after SIGTERM uvicorn ends the process
# without running atexit (see payment_api.flush_telemetry).

app = create_app()
# After the app exists, before it serves. OTEL_PYTHON_FASTAPI_EXCLUDED_URLS
# (e.g. "health,readyz,livez,metrics") is read here too.
FastAPIInstrumentor.instrument_app(app)
