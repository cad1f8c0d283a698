"""A small load driver for the payment-api (standard library only).

    python load.py --url http://127.0.0.1:8000 --requests 200
    python load.py --duration 60 --rate 10
    python load.py                      # until Ctrl-C

It sends the traffic a payment service sees: payments in several currencies
(mostly small and fast; some large ones that go through slow fraud screening;
some over the card limit, declined with 402; a few in an unsupported currency,
rejected with 422), item lookups (a few for items that do not exist: 404) and
health checks. About a third of the requests carry a W3C traceparent, as if an
upstream service had started the trace.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import secrets
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

CURRENCIES = [("USD", 35), ("EUR", 30), ("GBP", 15), ("JPY", 8), ("CHF", 6), ("CAD", 6)]


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: collections.Counter[str] = collections.Counter()

    def add(self, key: str) -> None:
        with self.lock:
            self.counts[key] += 1

    def line(self) -> str:
        with self.lock:
            c = dict(self.counts)
        sent = sum(v for k, v in c.items() if k.count(".") == 0)
        return (
            f"sent {sent}: payments {c.get('payment', 0)} "
            f"({c.get('payment.200', 0)} approved, {c.get('payment.402', 0)} declined, "
            f"{c.get('payment.422', 0)} rejected), items {c.get('item', 0)} ({c.get('item.404', 0)} not found), "
            f"health {c.get('health', 0)}, failed {c.get('failed', 0)}"
        )


def pick_request(rng: random.Random) -> tuple[str, str, str, dict | None]:
    """(kind, method, path, json body)"""
    roll = rng.random()
    if roll < 0.5:
        kind_roll = rng.random()
        currency = rng.choices([c for c, _ in CURRENCIES], weights=[w for _, w in CURRENCIES])[0]
        if kind_roll < 0.80:
            amount = round(min(max(rng.lognormvariate(3.9, 0.8), 1.0), 900.0), 2)
        elif kind_roll < 0.92:
            amount = round(rng.uniform(1000, 4999), 2)  # slow: fraud screening
        elif kind_roll < 0.98:
            amount = round(rng.uniform(5001, 9000), 2)  # over the card limit: declined
        else:
            currency, amount = "XYZ", round(rng.uniform(10, 100), 2)  # unsupported: 422
        return "payment", "POST", "/payments", {"amount": amount, "currency": currency}
    if roll < 0.75:
        item_id = rng.randint(1000, 1100) if rng.random() < 0.1 else rng.randint(1, 200)
        return "item", "GET", f"/items/{item_id}", None
    return "health", "GET", "/health", None


def send(base_url: str, method: str, path: str, body: dict | None, traceparent: str | None) -> int:
    headers = {"user-agent": "payment-api-load/1.0"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["content-type"] = "application/json"
    if traceparent is not None:
        headers["traceparent"] = traceparent
    request = urllib.request.Request(base_url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        error.read()
        return error.code


def wait_until_up(base_url: str, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if send(base_url, "GET", "/health", None, None) == 200:
                return True
        except OSError:
            pass
        time.sleep(0.25)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="base URL of the payment-api")
    parser.add_argument("--requests", type=int, default=0, help="stop after this many requests (0: no limit)")
    parser.add_argument("--duration", type=float, default=0, help="stop after this many seconds (0: no limit)")
    parser.add_argument("--rate", type=float, default=5, help="requests per second (default 5)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight at most (default 8)")
    parser.add_argument("--report-every", type=float, default=10, help="seconds between progress lines (0: none)")
    parser.add_argument("--seed", type=int, default=None, help="random seed, for a repeatable mix")
    args = parser.parse_args()
    base_url = args.url.rstrip("/")

    if not wait_until_up(base_url, 30):
        print(f"load: {base_url} did not answer GET /health within 30 s", file=sys.stderr)
        return 1

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())

    rng = random.Random(args.seed)
    stats = Stats()
    started = time.monotonic()
    next_report = started + args.report_every

    def one(kind: str, method: str, path: str, body: dict | None, traceparent: str | None) -> None:
        try:
            status = send(base_url, method, path, body, traceparent)
            stats.add(f"{kind}.{status}")
        except OSError:
            stats.add("failed")

    sent = 0
    interval = 1.0 / args.rate if args.rate > 0 else 0.0
    with ThreadPoolExecutor(max_workers=max(1, args.concurrency)) as pool:
        while not stop.is_set():
            if args.requests and sent >= args.requests:
                break
            now = time.monotonic()
            if args.duration and now - started >= args.duration:
                break
            kind, method, path, body = pick_request(rng)
            traceparent = None
            if rng.random() < 0.3:
                traceparent = f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"
            stats.add(kind)
            pool.submit(one, kind, method, path, body, traceparent)
            sent += 1
            if args.report_every and now >= next_report:
                print(f"load: {stats.line()}", flush=True)
                next_report = now + args.report_every
            # Poisson arrivals around the requested rate.
            stop.wait(rng.expovariate(1.0 / interval) if interval else 0)
    print(f"load: done, {stats.line()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
