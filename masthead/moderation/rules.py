"""Rule lists as the checks use them: loaded once per rules version and kept in the process.

Editing a word, domain or ban bumps a version in the shared cache, so every worker reloads on its next
check; a check costs one cache read, not a query per list.
"""

from __future__ import annotations

import ipaddress
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from masthead.moderation.links import Link, domain_matches
from masthead.moderation.normalise import fold

VERSION_KEY = "moderation:rules:version"


@dataclass(frozen=True)
class WordMatch:
    kind: str  # banned | suspect
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
    words: list[tuple[str, re.Pattern[str], bool, str, int]] = field(default_factory=list)
    allow_domains: list[str] = field(default_factory=list)
    block_domains: list[str] = field(default_factory=list)
    suspect_domains: list[str] = field(default_factory=list)
    bans: list[CompiledBan] = field(default_factory=list)

    def match_words(self, text: str) -> WordMatch | None:
        """The strictest word rule the text breaks: banned before suspect."""
        folded = "\n".join(fold(part) for part in text.split("\n\u2063"))
        suspect: WordMatch | None = None
        for kind, compiled, is_regex, pattern, rule_id in self.words:
            if compiled.search(folded) or (is_regex and compiled.search(text)):
                if kind == "banned":
                    return WordMatch(kind, pattern, rule_id)
                suspect = suspect or WordMatch(kind, pattern, rule_id)
        return suspect

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


def compile_word(pattern: str, is_regex: bool) -> re.Pattern[str]:
    if is_regex:
        return re.compile(pattern, re.IGNORECASE)
    folded = re.escape(fold(pattern)).replace(r"\ ", r"[\W_]*")
    return re.compile(rf"(?<!\w){folded}(?!\w)")


_local = threading.local()


def bump_rules_version(**_: Any) -> None:
    """Make every process reload the rules (connected to save/delete of the rule models)."""
    cache.set(VERSION_KEY, timezone.now().isoformat() + f":{id(object())}", None)


def current_rules() -> RuleSet:
    version = cache.get(VERSION_KEY)
    if version is None:
        bump_rules_version()
        version = cache.get(VERSION_KEY) or "none"
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
        except re.error:
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
