"""Fixed-window rate limits in the cache (Redis when REDIS_URL is set, so limits hold across processes)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from masthead.core.errors import ApiError, ErrorCode


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, spec: str) -> Rate:
        """'5/m', '30/h', '100/d', '10/30s'."""
        count, _, period = spec.partition("/")
        units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
        number = period[:-1] or "1"
        return cls(int(count), int(number) * units[period[-1]])


def hit(scope: str, key: str, rate: Rate | str) -> int | None:
    """Count one hit; return seconds to wait when over the limit, else None."""
    if not settings.RATELIMIT_ENABLED:
        return None
    rate = Rate.parse(rate) if isinstance(rate, str) else rate
    window = int(time.time() // rate.seconds)
    cache_key = f"rl:{scope}:{key}:{window}"
    added = cache.add(cache_key, 1, rate.seconds + 1)
    count = 1 if added else cache.incr(cache_key)
    if count > rate.count:
        return max(1, rate.seconds - int(time.time()) % rate.seconds)
    return None


def enforce(
    scope: str,
    key: str,
    rate: Rate | str,
    message: str = "",
) -> None:
    """Count a hit and raise a 429 ApiError (with Retry-After) when the limit is passed."""
    retry_after = hit(scope, key, rate)
    if retry_after is not None:
        raise ApiError(
            ErrorCode.RATE_LIMITED,
            message or _("Too many requests; please wait a moment."),
            429,
            headers={"Retry-After": str(retry_after)},
        )
