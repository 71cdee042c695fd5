"""localstripe as a real local server (started once per test process: `localstripe_url`), the
settings that point Masthead at it, and Stripe-shaped events signed with the real scheme.

The fixtures here are made available to every test directory by tests/conftest.py."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.helpers import free_port

WEBHOOK_SECRET = "whsec_masthead_test_secret"
SECRET_KEY = "sk_test_masthead"
PUBLISHABLE_KEY = "pk_test_masthead"
_LOCALSTRIPE_MAIN = (
    "import localstripe.resources as r; r.Store.dump_to_disk = lambda self: None; "
    "from localstripe.server import start; start()"
)


@contextlib.contextmanager
def run_localstripe() -> Iterator[str]:
    port = free_port()
    # The `localstripe` console script, except that its store is not pickled to the fixed path
    # /tmp/localstripe.pickle after every request (parallel test workers would share that file).
    process = subprocess.Popen(
        [sys.executable, "-c", _LOCALSTRIPE_MAIN, "--port", str(port), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/js.stripe.com/v3/", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("localstripe did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)
        if process.poll() is None:
            process.kill()


@pytest.fixture(scope="session")
def localstripe_url() -> Iterator[str]:
    """One localstripe for the whole test process (its state is per object id, so tests share it)."""
    with run_localstripe() as url:
        yield url


@pytest.fixture
def stripe_keys(settings: Any) -> Any:
    """Card payments configured, pointing at a base that is never contacted (webhook-only tests)."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    settings.FUNDING_RATE_PER_IP = "100000/h"
    settings.FUNDING_RATE_PER_EMAIL = "100000/h"
    return settings


@pytest.fixture
def stripe_live(stripe_keys: Any, localstripe_url: str, live_server: Any) -> str:
    """The SDK and the donate form's Stripe.js pointed at localstripe, whose webhooks reach the
    live server's endpoint."""
    stripe_keys.STRIPE_API_BASE = localstripe_url
    stripe_keys.STRIPE_JS_URL = f"{localstripe_url}/js.stripe.com/v3/"
    register_webhook(localstripe_url, f"{live_server.url}/funding/stripe/webhook")
    return localstripe_url


def register_webhook(localstripe_url: str, target: str, hook_id: str = "masthead") -> None:
    data = json.dumps({"url": target, "secret": WEBHOOK_SECRET}).encode()
    request = urllib.request.Request(
        f"{localstripe_url}/_config/webhooks/{hook_id}",
        data=data,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5):
        pass


def confirm_card_setup(localstripe_url: str, client_secret: str, number: str) -> tuple[int, Any]:
    """What Stripe.js's confirmCardSetup does in the donor's browser (localstripe's stand-in)."""
    setup_id = client_secret.split("_secret_")[0]
    body = {
        "key": PUBLISHABLE_KEY,
        "use_stripe_sdk": True,
        "client_secret": client_secret,
        "payment_method_data": {
            "type": "card",
            "card": {"number": number, "exp_month": "12", "exp_year": "2034", "cvc": "123"},
            "billing_details": {"address": {"postal_code": "10115"}},
        },
    }
    request = urllib.request.Request(
        f"{localstripe_url}/v1/setup_intents/{setup_id}/confirm",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    stamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(
        secret.encode(), f"{stamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return f"t={stamp},v1={signature}"


_counter = [0]


def event(event_type: str, obj: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    _counter[0] += 1
    return {
        "id": event_id or f"evt_test_{time.time_ns()}_{_counter[0]}",
        "object": "event",
        "type": event_type,
        "livemode": False,
        "created": int(time.time()),
        "api_version": "2024-06-20",
        "data": {"object": obj},
    }


def wait_until(check: Callable[[], Any], timeout: float = 15.0) -> Any:
    """Poll `check` until it returns something truthy (webhooks arrive asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)
