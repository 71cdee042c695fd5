"""POST /funding/stripe/webhook: verify, store first, apply once.

No secret configured means every event is refused: accepting unsigned events would let anyone
forge payments.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from masthead.core.errors import ApiError, ErrorCode
from masthead.funding import ledger
from masthead.funding.providers import stripe as provider
from masthead.funding.providers.base import SignatureError

logger = logging.getLogger("masthead.funding")

MAX_PAYLOAD_BYTES = 512 * 1024


def _refusal(error: ApiError) -> JsonResponse:
    return JsonResponse(error.as_dict(), status=error.status, headers=error.headers)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    try:
        event = _verified_event(request)
    except ApiError as error:
        return _refusal(error)
    stored, ok = ledger.process_event(event)
    if not ok:
        return _refusal(ApiError(ErrorCode.PROCESSING_FAILED, _("Stored; will be retried."), 500))
    return JsonResponse({"received": True, "status": stored.status})


def _verified_event(request: HttpRequest) -> dict[str, Any]:
    """The event of a signed, well-formed request, or an ApiError saying why not (nothing is stored)."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise ApiError(
            ErrorCode.NOT_CONFIGURED, _("STRIPE_WEBHOOK_SECRET is not set; events are refused.")
        )
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_PAYLOAD_BYTES:
        raise ApiError(ErrorCode.TOO_LARGE, _("The event is too large."), 413)
    payload = request.body
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise ApiError(ErrorCode.TOO_LARGE, _("The event is too large."), 413)
    tolerance = getattr(settings, "STRIPE_WEBHOOK_TOLERANCE", provider.DEFAULT_TOLERANCE_SECONDS)
    try:
        provider.verify_webhook(
            payload, request.headers.get("Stripe-Signature", ""), secret, tolerance
        )
    except SignatureError as exc:
        raise ApiError(ErrorCode.BAD_SIGNATURE, f"Signature check failed: {exc}.") from exc
    try:
        event: dict[str, Any] = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ApiError(ErrorCode.INVALID, _("The event is not valid JSON.")) from exc
    if not ledger.is_event_shaped(event):
        raise ApiError(ErrorCode.INVALID, _("The event lacks an id, a type or a data object."))
    return event
