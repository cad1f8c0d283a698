"""The payment-api from the seed guide, made whole.

Only the OpenTelemetry *API* is used here: tracer, meter and the standard
`logging` module. Which SDK receives the data, and where it is exported, is
decided by whoever starts the process: `main.py` sets the SDK up in code, and
`opentelemetry-instrument` does it from OTEL_* variables for `app_zero_code.py`.
Without either, every call below is a no-op and the API still answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from collections.abc import AsyncIterator

import fastapi
from fastapi.responses import JSONResponse
from opentelemetry import metrics, trace
from opentelemetry._logs import get_logger_provider
from pydantic import BaseModel, Field

SERVICE_VERSION = "1.0.0"

# Charges above this amount are declined by the (simulated) card provider: 402.
CARD_LIMIT = 5000.0
# Charges from this amount up go through a slow fraud screening (300-600 ms).
SCREENING_THRESHOLD = 1000.0
SUPPORTED_CURRENCIES = {"USD", "EUR", "GBP", "JPY", "CHF", "CAD"}

tracer = trace.get_tracer("payment-api", SERVICE_VERSION)
meter = metrics.get_meter("payment-api", SERVICE_VERSION)
logger = logging.getLogger("payment_api")

payment_counter = meter.create_counter(
    "payments.processed",
    unit="1",
    description="Total number of payments processed",
)
payment_value = meter.create_histogram(
    "payments.value",
    unit="USD",
    description="Distribution of payment values",
)


class PaymentRequest(BaseModel):
    amount: float = Field(gt=0)
    currency: str = Field(min_length=3, max_length=3)


class ChargeResult(BaseModel):
    transaction_id: str
    status: str


class PaymentDeclinedError(Exception):
    """The card provider refused the charge; answered with 402."""


def validate_payment(payment: PaymentRequest) -> None:
    if payment.currency not in SUPPORTED_CURRENCIES:
        logger.warning("unsupported currency: %s", payment.currency)
        raise fastapi.HTTPException(status_code=422, detail=f"unsupported currency {payment.currency}")


async def charge_payment(payment: PaymentRequest) -> ChargeResult:
    delay_s = random.uniform(0.01, 0.04)
    if payment.amount >= SCREENING_THRESHOLD:
        delay_s += random.uniform(0.3, 0.6)
    await asyncio.sleep(delay_s)
    if payment.amount > CARD_LIMIT:
        raise PaymentDeclinedError(
            f"amount {payment.amount:.2f} {payment.currency} exceeds the card limit of {CARD_LIMIT:.2f}"
        )
    return ChargeResult(transaction_id=f"tx_{uuid.uuid4().hex[:16]}", status="approved")


def flush_telemetry(timeout_millis: int = 5000) -> None:
    """Sends whatever the SDK still buffers (spans, logs, the last metric values).

    The SDK flushes at interpreter exit (atexit), but uvicorn answers SIGTERM, the
    signal Docker and Kubernetes stop containers with, by shutting down and then
    re-raising SIGTERM with its default action: the process ends without running
    atexit, and the last few seconds of telemetry are lost. Flushing when the app
    shuts down avoids that. Works for both modes: whichever SDK providers are set
    globally are flushed; the API's no-op providers have nothing to flush.
    """
    for provider in (trace.get_tracer_provider(), metrics.get_meter_provider(), get_logger_provider()):
        force_flush = getattr(provider, "force_flush", None)
        if callable(force_flush):
            force_flush(timeout_millis)


@contextlib.asynccontextmanager
async def lifespan(_app: fastapi.FastAPI) -> AsyncIterator[None]:
    yield
    flush_telemetry()


def create_app() -> fastapi.FastAPI:
    app = fastapi.FastAPI(title="payment-api", version=SERVICE_VERSION, lifespan=lifespan)

    @app.exception_handler(PaymentDeclinedError)
    async def declined(_request: fastapi.Request, error: PaymentDeclinedError) -> JSONResponse:
        return JSONResponse(status_code=402, content={"status": "declined", "detail": str(error)})

    @app.get("/items/{item_id}")
    async def get_item(item_id: int):
        logger.info("looking up item %d", item_id, extra={"item.id": item_id})
        if item_id >= 1000:
            raise fastapi.HTTPException(status_code=404, detail=f"item {item_id} not found")
        return {"item_id": item_id, "name": f"item {item_id}"}

    @app.get("/health")
    async def health():
        return {"status": "ok"}

    @app.post("/payments")
    async def create_payment(payment: PaymentRequest):
        attributes = {"payment.currency": payment.currency, "payment.amount": payment.amount}
        logger.info("payment received: %.2f %s", payment.amount, payment.currency, extra=attributes)

        with tracer.start_as_current_span("payment.validate") as span:
            span.set_attribute("payment.amount", payment.amount)
            span.set_attribute("payment.currency", payment.currency)
            logger.info("validating payment: %.2f %s", payment.amount, payment.currency, extra=attributes)
            validate_payment(payment)

        # record_exception / set_status_on_exception off: the handler below records
        # the decline itself, as in the seed. Left on, the span would also record
        # the exception a second time as it leaves the `with` block.
        with tracer.start_as_current_span(
            "payment.charge", record_exception=False, set_status_on_exception=False
        ) as span:
            span.set_attribute("payment.provider", "stripe")
            span.set_attribute("payment.amount", payment.amount)
            span.set_attribute("payment.currency", payment.currency)
            try:
                result = await charge_payment(payment)
            except PaymentDeclinedError as error:
                span.record_exception(error)
                span.set_status(trace.StatusCode.ERROR, str(error))
                logger.warning("payment declined: %s", error, extra=attributes)
                payment_counter.add(1, {"payment.currency": payment.currency, "payment.status": "declined"})
                payment_value.record(payment.amount, {"payment.currency": payment.currency})
                raise
            span.set_attribute("payment.transaction_id", result.transaction_id)

        logger.info("payment approved: %s", result.transaction_id, extra=attributes)
        payment_counter.add(1, {"payment.currency": payment.currency, "payment.status": result.status})
        payment_value.record(payment.amount, {"payment.currency": payment.currency})
        return {"transaction_id": result.transaction_id, "status": result.status}

    return app
