"""Zero-code instrumentation (the seed's Step 2B): no SDK code at all.

    OTEL_SERVICE_NAME=payment-api \
    OTEL_RESOURCE_ATTRIBUTES=service.version=1.0.0,deployment.environment=production \
    OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 \
    OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
    OTEL_LOGS_EXPORTER=otlp \
    OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED=true \
    OTEL_SEMCONV_STABILITY_OPT_IN=http \
    OTEL_PYTHON_FASTAPI_EXCLUDED_URLS="health,readyz,livez,metrics" \
    opentelemetry-instrument uvicorn app_zero_code:app --port 8000

`opentelemetry-instrument` (from opentelemetry-distro) sets up the tracer, meter
and logger providers from the OTEL_* variables and instruments FastAPI before this
module is imported. Run with plain `uvicorn app_zero_code:app` and the same app
serves without any telemetry.
"""

import logging

from payment_api import create_app

# The root logger starts at WARNING; the payment logs are INFO. With
# OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED=true the SDK has already put its
# LoggingHandler on the root logger, and keeps it there through basicConfig.
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

app = create_app()
