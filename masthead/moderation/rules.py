"""Rule lists as the checks use them: loaded once per rules version and kept in the process.

Editing a word, domain or ban bumps a version counter (core/cache_versions.py), so every worker reloads
on its next check; a check costs one read of the counter (with Redis, none: each process keeps the
counter until a bump anywhere drops it), not a query per list.

Moderators' regular expressions run on the `regex` package with a time limit per rule (REGEX_TIMEOUT)
and per comment (REGEX_BUDGET): a catastrophic pattern such as `(a+)+$` on hostile text stops there,
counts as not matching, and the comment waits for a moderator instead ("rule timed out").
"""

from __future__ import annotations

import ipaddress
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import regex
from django.utils import timezone

from masthead.core import cache_versions
from masthead.moderation.conf import setting
from masthead.moderation.links import Link, domain_matches
from masthead.moderation.normalise import fold

RULES_VERSION = ("moderation", "rules")
# When a pattern is saved it is tried on long hostile runs; a sound pattern takes microseconds there,
# a catastrophic one grows (at least) polynomially and runs out of time.
PROBE_LENGTH = 2000
PROBE_TIMEOUT = 0.2
logger = logging.getLogger("masthead.moderation")

# Errors of a bad pattern from either engine (plain words compile with `re`, patterns with `regex`).
PatternError = (re.error, regex.error)


@dataclass(frozen=True)
class WordMatch:
    kind: str  # banned | suspect | timeout (a regular expression ran out of time)
    pattern: str
    rule_id: int


@dataclass
class CompiledBan:
    kind: str
    value: str
    mode: str
    expires_at: Any
    reason: str
    ban_id: int
    network: Any = None


@dataclass
class RuleSet:
    version: str
    words: list[tuple[str, Any, bool, str, int]] = field(default_factory=list)
    allow_domains: list[str] = field(default_factory=list)
    block_domains: list[str] = field(default_factory=list)
    suspect_domains: list[str] = field(default_factory=list)
    bans: list[CompiledBan] = field(default_factory=list)

    def match_words(self, text: str) -> WordMatch | None:
        """The strictest word rule the text breaks: banned, then suspect, then a timed-out rule.

        A regular expression that runs out of time (its own REGEX_TIMEOUT, or what is left of the
        comment's REGEX_BUDGET) does not match; the caller holds the comment for a moderator.
        """
        folded = "\n".join(fold(part) for part in text.split("\n\u2063"))
        # Most comments break no rule: one search per kind over all its plain words decides which
        # plain rules need trying one by one (in list order, so the rule reported stays the same).
        kinds_hit = {
            kind for kind, combined in self._plain_words.items() if combined.search(folded)
        }
        suspect: WordMatch | None = None
        timed_out: WordMatch | None = None
        deadline = time.monotonic() + float(setting("REGEX_BUDGET"))
        per_rule = float(setting("REGEX_TIMEOUT"))
        for kind, compiled, is_regex, pattern, rule_id in self.words:
            if is_regex:
                try:
                    hit = _search_in_time(compiled, folded, per_rule, deadline) or _search_in_time(
                        compiled, text, per_rule, deadline
                    )
                except TimeoutError:
                    logger.warning(
                        "Word rule #%s timed out on a comment of %d characters; the comment is held",
                        rule_id,
                        len(text),
                    )
                    timed_out = timed_out or WordMatch("timeout", pattern, rule_id)
                    continue
            else:
                hit = kind in kinds_hit and compiled.search(folded) is not None
            if hit:
                if kind == "banned":
                    return WordMatch(kind, pattern, rule_id)
                suspect = suspect or WordMatch(kind, pattern, rule_id)
        return suspect or timed_out

    @cached_property
    def _plain_words(self) -> dict[str, re.Pattern[str]]:
        """Each kind's plain words as one alternation (they are escaped literals, `compile_word`)."""
        words: dict[str, list[str]] = {}
        for kind, compiled, is_regex, _pattern, _rule_id in self.words:
            if not is_regex:
                words.setdefault(kind, []).append(
                    compiled.pattern.removeprefix(_WORD_START).removesuffix(_WORD_END)
                )
        return {
            kind: re.compile(f"{_WORD_START}(?:{'|'.join(found)}){_WORD_END}")
            for kind, found in words.items()
        }

    def domain_kind(self, link: Link) -> str | None:
        if any(domain_matches(link, domain) for domain in self.allow_domains):
            return "allow"
        if any(domain_matches(link, domain) for domain in self.block_domains):
            return "block"
        if any(domain_matches(link, domain) for domain in self.suspect_domains):
            return "suspect"
        return None

    def active_bans(
        self, *, user_id: Any, email: str, ip: str, ip_hash: str, guest_key: str
    ) -> list[CompiledBan]:
        now = timezone.now()
        address = None
        if ip:
            try:
                address = ipaddress.ip_address(ip)
            except ValueError:
                address = None
        email = email.strip().lower()
        found = []
        for ban in self.bans:
            if ban.expires_at is not None and ban.expires_at <= now:
                continue
            if (
                (ban.kind == "user" and user_id is not None and ban.value == str(user_id))
                or (ban.kind == "email" and email and ban.value == email)
                or (ban.kind == "ip_hash" and ip_hash and ban.value == ip_hash)
                or (ban.kind == "guest" and guest_key and ban.value == guest_key)
                or (
                    ban.kind == "ip"
                    and address is not None
                    and ban.network is not None
                    and address.version == ban.network.version
                    and address in ban.network
                )
            ):
                found.append(ban)
        return found


def _search_in_time(compiled: Any, text: str, per_rule: float, deadline: float) -> bool:
    """Search with the smaller of the rule's limit and what is left of the comment's budget."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("the comment's regular-expression budget is spent")
    # concurrent=False keeps the GIL: by default `regex` lets it go for the search, and taking it
    # back waits out another thread's switch interval (up to 5 ms) while this post holds its write
    # turn; the search itself is bounded by the timeout.
    return compiled.search(text, timeout=min(per_rule, remaining), concurrent=False) is not None


# A plain word matches whole words only.
_WORD_START, _WORD_END = r"(?<!\w)", r"(?!\w)"


def compile_word(pattern: str, is_regex: bool) -> Any:
    """A compiled rule: `regex` (searched with a timeout) for regular expressions, `re` for words.

    Plain words are escaped literals joined by `[\\W_]*`, which cannot backtrack catastrophically.
    """
    if is_regex:
        return regex.compile(pattern, regex.IGNORECASE | regex.VERSION0)
    folded = re.escape(fold(pattern)).replace(r"\ ", r"[\W_]*")
    return re.compile(f"{_WORD_START}{folded}{_WORD_END}")


def probe_texts(pattern: str) -> list[str]:
    """Hostile inputs for a pattern: long runs of the characters it mentions, then one that fails.

    Nested repetition such as `(a+)+$` or `(\\w+\\s?)+$` backtracks exponentially on exactly these.
    """
    characters = [char for char in dict.fromkeys(pattern.lower()) if char.isalnum()][:6]
    return [char * PROBE_LENGTH + "\u0001" for char in [*characters, "a", "1", " ", "."]]


def pattern_problem(pattern: str) -> str:
    """Why a regular-expression rule cannot be saved, or "" when it can (used by the admin form)."""
    try:
        compiled = compile_word(pattern, True)
    except PatternError as exc:
        return f"Not a valid regular expression: {exc}"
    try:
        if compiled.search("", timeout=PROBE_TIMEOUT) is not None:
            return "This pattern matches empty text, so it would catch every comment."
        for text in probe_texts(pattern):
            compiled.search(text, timeout=PROBE_TIMEOUT)
    except TimeoutError:
        return (
            "This pattern takes too long on some text (nested repetition such as (a+)+ backtracks "
            "without end). Simplify it, e.g. (a+)+ → a+."
        )
    return ""


_local = threading.local()


def bump_rules_version(**_: Any) -> None:
    """Make every process reload the rules (connected to save/delete of the rule models)."""
    cache_versions.bump_now(*RULES_VERSION)


def current_rules() -> RuleSet:
    # A version counter like the pages' (core/cache_versions.py): with Redis each process keeps the
    # one it read until a bump anywhere drops it, so the three checks of a post make no round trip.
    version = str(cache_versions.versions([RULES_VERSION])[0])
    if version == "0":  # never bumped, or evicted: a fresh one makes every process reload
        bump_rules_version()
        version = str(cache_versions.versions([RULES_VERSION])[0])
    rules: RuleSet | None = getattr(_local, "rules", None)
    if rules is None or rules.version != version:
        rules = load_rules(version)
        _local.rules = rules
    return rules


def load_rules(version: str) -> RuleSet:
    from masthead.moderation.models import Ban, DomainRule, WordRule

    rules = RuleSet(version=version)
    for rule in WordRule.objects.filter(is_enabled=True).order_by("kind", "id"):
        try:
            compiled = compile_word(rule.pattern, rule.is_regex)
        except PatternError:
            continue  # refused by the form's validation; an old bad row must not break posting
        rules.words.append((rule.kind, compiled, rule.is_regex, rule.pattern, rule.pk))
    for domain in DomainRule.objects.all():
        getattr(rules, f"{domain.kind}_domains").append(domain.domain)
    now = timezone.now()
    for ban in Ban.objects.exclude(expires_at__lte=now):
        network = None
        if ban.kind == "ip":
            try:
                network = ipaddress.ip_network(ban.value.strip(), strict=False)
            except ValueError:
                continue
        value = ban.value.strip().lower() if ban.kind == "email" else ban.value.strip()
        rules.bans.append(
            CompiledBan(ban.kind, value, ban.mode, ban.expires_at, ban.reason, ban.pk, network)
        )
    return rules
