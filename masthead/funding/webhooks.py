"""POST /funding/stripe/webhook: verify, store first, apply once.

No secret configured means every event is refused: accepting unsigned events would let anyone
forge payments.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from masthead.funding import ledger
from masthead.funding.providers import stripe as provider
from masthead.funding.providers.base import SignatureError

logger = logging.getLogger("masthead.funding")

MAX_PAYLOAD_BYTES = 512 * 1024


def _refuse(code: str, message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": code, "message": message, "fields": {}}, status=status)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        return _refuse("not_configured", "STRIPE_WEBHOOK_SECRET is not set; events are refused.")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_PAYLOAD_BYTES:
        return _refuse("too_large", "The event is too large.", 413)
    payload = request.body
    if len(payload) > MAX_PAYLOAD_BYTES:
        return _refuse("too_large", "The event is too large.", 413)
    tolerance = getattr(settings, "STRIPE_WEBHOOK_TOLERANCE", provider.DEFAULT_TOLERANCE_SECONDS)
    try:
        provider.verify_webhook(
            payload, request.headers.get("Stripe-Signature", ""), secret, tolerance
        )
    except SignatureError as exc:
        return _refuse("bad_signature", f"Signature check failed: {exc}.")
    try:
        event = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return _refuse("invalid", "The event is not valid JSON.")
    if not ledger.is_event_shaped(event):
        return _refuse("invalid", "The event lacks an id, a type or a data object.")
    stored, ok = ledger.process_event(event)
    if not ok:
        return JsonResponse(
            {"error": "processing_failed", "message": "Stored; will be retried.", "fields": {}},
            status=500,
        )
    return JsonResponse({"received": True, "status": stored.status})
