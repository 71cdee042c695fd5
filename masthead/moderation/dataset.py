# ruff: noqa: RUF001, S311
"""A labelled set of news-site comments (ham) and comment spam, generated reproducibly from templates.

No package on the registries ships labelled *news comment* spam small enough to vendor, so Masthead
builds its own: `labelled_comments(n, seed)` mixes slot-filled templates, with typos, homoglyph and
leet disguises, link obfuscation, and hard cases on both sides (readers who cite sources with links
and talk about money; spam that opens like a reader). The classifier's seed model trains on seed 1;
`bench/bench_moderation.py` evaluates on a held-out split generated with another seed and with
template families the training split never saw.
"""

from __future__ import annotations

import random

TOPICS = [
    "the water shortage",
    "the election",
    "the council budget",
    "the new bridge",
    "school funding",
    "the heatwave",
    "rent prices",
    "the hospital closure",
    "the bus strike",
    "the river pollution",
    "the farmers' protest",
    "the court ruling",
    "the refugee camps",
    "the mining deal",
    "bread prices",
]
OPINIONS = [
    "I think",
    "In my view",
    "Honestly,",
    "As someone who lives here,",
    "My neighbours say",
    "Respectfully,",
    "To be fair,",
    "I disagree:",
    "Agreed, and",
    "Frankly,",
]
CLAIMS = [
    "the ministry should have acted years ago",
    "the reporting here is balanced",
    "nobody asked the people downstream",
    "the numbers in paragraph three look off",
    "this affects the poorest families most",
    "the mayor's answer dodges the question",
    "we saw the same thing in 2019",
    "the photos say more than the statements",
    "the article misses the role of the private contractors",
    "local volunteers did most of the work",
    "prices went up again this week at our market",
    "it costs us about 40 dollars more a month now",
    "my cousin lost her job at the plant",
    "the committee meets again on Thursday",
]
ENDINGS = [
    "Thanks for covering this.",
    "Please keep following it.",
    "Good piece.",
    "What happens next?",
    "Does anyone know when the report is due?",
    "",
    "",
    "Well written.",
    "Sad to read.",
    "More of this kind of journalism, please.",
]
SOURCES = [
    "https://www.who.int/news",
    "https://en.wikipedia.org/wiki/Drought",
    "https://www.bbc.co.uk/news",
    "https://data.worldbank.org/indicator",
    "https://www.reuters.com/world/",
    "www.un.org/en/water",
]
HAM_EXTRA = [
    "Here is the original report: {source}",
    "Source: {source}",
    "The figures are at {source}",
    "I donated to the appeal last month, worth it.",
    "Free speech matters, even when it's uncomfortable.",
    "Check the council minutes, they are online.",
    "Great photos, who took them?",
    "Buy local where you can, it helps the farmers.",
    "Click through to the map, it's worth it.",
]

PRODUCTS = [
    "viagra",
    "cialis",
    "casino bonus",
    "crypto signals",
    "forex robot",
    "weight loss pills",
    "cheap followers",
    "replica watches",
    "payday loans",
    "essay writing service",
    "bitcoin doubler",
    "online pharmacy",
    "SEO backlinks",
    "slot machines",
    "keto gummies",
]
SPAM_HOOKS = [
    "Buy {product} now at {link}",
    "Best {product} deals!!! {link}",
    "Get {product} 90% OFF {link}",
    "I made $%d a week from home with {product}, see {link}",
    "Cheap {product} no prescription {link}",
    "{product} — limited offer, click {link}",
    "Earn money fast with {product} {link} {link2}",
    "Hot singles in your area, and {product} too: {link}",
    "WIN BIG with {product}!!! {link}",
    "Visit {link} for the best {product} in 2026",
    "Order {product} online, discreet shipping: {link}",
    "Great article! By the way I earn $%d daily with {product}. {link}",
]
SPAM_DOMAINS = [
    "cheap-pills.example",
    "best-casino.xyz",
    "fastcash.top",
    "crypto-x.click",
    "pharma24.ru",
    "win-now.bet",
    "loans4u.biz",
    "replicas.shop",
    "followers.live",
    "gummies.store",
]
SPAM_FAMILY_B = [
    "I agree with this article. My uncle makes $%d an hour from his laptop, search for it",
    "So true. By the way, anyone looking for {product}? Message me, best price in town",
    "Good point about {topic}. I quit my job and now earn %d a week online, ask me how",
    "Dear friend, I am a banker with an offer of %d dollars, write to {link}",
    "Congratulations you have been selected, claim your {product} prize at {link}",
    "Work from home and earn %d per hour, no experience, {link}",
    "Nice post. Check my profile for {product} {link}",
]
HAM_FAMILY_B = [
    "The casino on the river bank closed last year and {claim}.",
    "Crypto scams hit pensioners here too; {opinion} {claim}.",
    "The pharmacy ran out of insulin again. {ending} Buy local, support the small shops.",
    "Free tickets for the council debate are at {source}, worth going. {ending}",
    "WOW!!! {claim}!!! {ending}",
    "{opinion} the piece on {topic} should mention the 2021 study. {ending}",
    "Has anyone here actually read the full report on {topic}? {opinion} it is worse than described.",
    "I was at the meeting about {topic} yesterday; {claim}.",
]
_HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "i": "і", "x": "х", "y": "у"}
_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "$"}


def _disguise(rng: random.Random, text: str) -> str:
    choice = rng.random()
    if choice < 0.25:
        return "".join(_HOMOGLYPHS.get(char, char) if rng.random() < 0.5 else char for char in text)
    if choice < 0.45:
        return "".join(_LEET.get(char, char) if rng.random() < 0.4 else char for char in text)
    if choice < 0.55:
        return "\u200d".join(text)
    return text


def _spam_link(rng: random.Random) -> str:
    domain = rng.choice(SPAM_DOMAINS)
    form = rng.random()
    if form < 0.4:
        return (
            f"https://{domain}/{rng.choice(['buy', 'go', 'offer', 'ref'])}?id={rng.randint(1, 999)}"
        )
    if form < 0.55:
        return "hxxps://" + domain.replace(".", "[.]")
    if form < 0.7:
        return domain.replace(".", " dot ")
    if form < 0.8:
        return "www." + domain
    return domain


def _ham(rng: random.Random, family_b: bool) -> str:
    topic, opinion = rng.choice(TOPICS), rng.choice(OPINIONS)
    claim, ending = rng.choice(CLAIMS), rng.choice(ENDINGS)
    if family_b:
        text = rng.choice(HAM_FAMILY_B).format(
            topic=topic, opinion=opinion, claim=claim, ending=ending, source=rng.choice(SOURCES)
        )
    else:
        text = f"{opinion} {claim} on {topic}. {ending}"
        if rng.random() < 0.5:
            text += " " + rng.choice(CLAIMS).capitalize() + "."
    if rng.random() < 0.3:
        text += " " + rng.choice(HAM_EXTRA).format(source=rng.choice(SOURCES))
    if rng.random() < 0.1:
        text = text.lower()
    return text.strip()


def _spam(rng: random.Random, family_b: bool) -> str:
    template = rng.choice(SPAM_FAMILY_B if family_b else SPAM_HOOKS)
    if "%d" in template:
        template = template % rng.choice([300, 500, 1200, 5000, 85])
    product = _disguise(rng, rng.choice(PRODUCTS))
    text = template.format(
        product=product, link=_spam_link(rng), link2=_spam_link(rng), topic=rng.choice(TOPICS)
    )
    if rng.random() < 0.25:
        # Spam that opens like a reader, to get past a skimming moderator.
        text = f"{rng.choice(OPINIONS)} {rng.choice(CLAIMS)}. " + text
    if rng.random() < 0.2:
        text = text.upper()
    return text


def labelled_comments(
    count: int = 1200, seed: int = 1, *, held_out: bool = False, spam_share: float = 0.4
) -> list[tuple[str, bool]]:
    """`count` (body, is_spam) pairs. `held_out=True` draws from template families training never sees."""
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        is_spam = rng.random() < spam_share
        family_b = held_out and rng.random() < 0.5
        rows.append((_spam(rng, family_b) if is_spam else _ham(rng, family_b), is_spam))
    return rows
