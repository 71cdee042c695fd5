"""Inline feedback: re-anchoring 500 inline comments on a 5,000-word article after an edit.

Seeds a scratch site with one article (60 paragraphs, ~5,000 words) and 500 inline comments posted
through `post_comment` with targets completed as the API does, then publishes an edit (a paragraph
inserted at the top, words changed in several paragraphs, whitespace and punctuation changes, two
paragraphs deleted) and times `reanchor_article` — the background task's work: read the comments,
resolve every anchor, write one AnchorResolution each, update states. Target: under 1 s.
Run: `.venv/bin/python -m bench inline`.
"""

from __future__ import annotations

import json
import re

from bench.common import machine_line, manage, scratch_dir, shell, write_section

COMMENTS = 500
PARAGRAPHS = 60
WORDS_PER_PARAGRAPH = 84
RUNS = 5

SCRIPT = """
import json, random, statistics, time, copy
from masthead.discussion.actions import post_comment, thread_for_page
from masthead.discussion.inline.reanchoring import complete_comment_target, reanchor_article, live_text
from masthead.discussion.inline.matching import resolve
from masthead.discussion.inputs import CommentInput
from masthead.core.actors import Actor
from masthead.publishing.actions import create_article, create_section, ensure_home_page
from masthead.publishing.models import ArticlePage

rng = random.Random(7)
vocabulary = ("river water farmers canal drought season harvest ministry dam upstream delta wheat "
    "prices market village rain spring summer engineers treaty report officials pumps wells salt "
    "fields families trucks border survey minister levels decade record flow").split()
paragraphs = []
for n in range({paragraphs}):
    words = [rng.choice(vocabulary) for _ in range({words})]
    words[0] = words[0].capitalize()
    paragraphs.append(" ".join(words[:40]) + ", " + " ".join(words[40:]) + f". Paragraph {{n}} ends here.")
home = ensure_home_page()
section = create_section(home, "Bench", "bench", "")
article = create_article(section, "A long read on the river", body=[("paragraph", f"<p>{{p}}</p>") for p in paragraphs])
article.inline_highlights = "on"
article.save_revision().publish()
article = ArticlePage.objects.get(pk=article.pk)
thread = thread_for_page(article)
text = live_text(article).text
words_total = len(text.split())
for n in range({comments}):
    paragraph = paragraphs[n % len(paragraphs)]
    tokens = paragraph.split(" ")
    start = rng.randrange(0, len(tokens) - 12)
    exact = " ".join(tokens[start:start + rng.randint(3, 12)])
    target = complete_comment_target(thread, {{"selector": [{{"type": "TextQuoteSelector", "exact": exact}}]}})
    actor = Actor(guest_key=f"bench-{{n}}", ip=f"192.0.2.{{n % 250}}", ip_hash=f"bench-{{n}}")
    post_comment(actor, thread, CommentInput(body=f"Inline comment {{n}} on this passage.", name=f"Reader {{n}}", email=f"r{{n}}@bench.example", target=target))

def edit(blocks):
    blocks = copy.deepcopy(blocks)
    for index in range(3, len(blocks), 7):  # reword: one word replaced in every 7th paragraph
        blocks[index]["value"] = blocks[index]["value"].replace(" water ", " groundwater ", 1).replace(" canal ", " channel ", 1)
    for index in range(5, len(blocks), 11):  # whitespace and punctuation
        blocks[index]["value"] = blocks[index]["value"].replace(", ", "; ", 1).replace(" ", "  ", 5)
    del blocks[20]
    del blocks[40]
    blocks.insert(0, {{"type": "paragraph", "value": "<p>Update: this article was corrected after publication.</p>"}})
    return blocks

article = ArticlePage.objects.get(pk=article.pk)
article.body = edit(list(article.body.raw_data))
article.save_revision().publish()
article = ArticlePage.objects.get(pk=article.pk)

timings = []
for _ in range({runs}):
    started = time.perf_counter()
    counts = reanchor_article(article.pk)
    timings.append(time.perf_counter() - started)
comments = list(thread.comments.filter(target__isnull=False))
started = time.perf_counter()
text = live_text(article)
for comment in comments:
    resolve(text, comment.target)
resolve_only = time.perf_counter() - started
print("RESULT " + json.dumps({{"words": words_total, "comments": len(comments), "median": statistics.median(timings),
    "max": max(timings), "resolve_only": resolve_only, "counts": counts}}))
"""


def main() -> None:
    env = {"MASTHEAD_RATELIMIT_ENABLED": "0"}
    with scratch_dir("inline") as data_dir:
        manage(data_dir, "migrate", "--verbosity", "0", env=env)
        output = shell(
            data_dir,
            SCRIPT.format(
                paragraphs=PARAGRAPHS, words=WORDS_PER_PARAGRAPH, comments=COMMENTS, runs=RUNS
            ),
            env=env,
        )
    found = re.search(r"RESULT (.*)", output)
    if found is None:
        raise SystemExit(f"bench_inline: no result in output:\n{output}")
    result = json.loads(found.group(1))
    counts = result["counts"]
    median_ms = result["median"] * 1000
    lines = [
        f"Machine: {machine_line()}",
        "",
        f"One article of {result['words']:,} words (SQLite), {result['comments']} inline comments posted "
        "through `post_comment`; an edit is published (paragraph inserted at the top, words changed "
        "in every 7th paragraph, whitespace/punctuation changed in every 11th, two paragraphs deleted); "
        f"`reanchor_article` (read, resolve, write {result['comments']} AnchorResolution rows, update "
        f"states) is timed {RUNS} times.",
        "",
        "| comments | re-anchor median | max | resolve only | anchored | moved | orphaned |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {result['comments']} | {median_ms:.0f} ms | {result['max'] * 1000:.0f} ms | "
        f"{result['resolve_only'] * 1000:.0f} ms | {counts.get('anchored', 0)} | "
        f"{counts.get('moved', 0)} | {counts.get('orphaned', 0)} |",
        "",
        f"Target: under 1 s → {'met' if result['median'] < 1 else 'NOT met'} ({median_ms:.0f} ms).",
        "Run: `.venv/bin/python -m bench inline`.",
    ]
    for line in lines:
        print(line)
    write_section("## Inline feedback\n\n" + "\n".join(lines))
