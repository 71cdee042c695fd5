"""Anchors survive edits around and near their passage; deleted passages orphan; bad selectors are refused."""

from __future__ import annotations

import pytest

from masthead.core.errors import ApiError
from masthead.discussion.inline.matching import complete_target, quote_of, resolve
from tests.helpers import quote
from tests.inline.conftest import text_of

RIVER = ("p1", "The river has fallen to its lowest level in a decade, farmers say.")
CANALS = ("p2", "Irrigation canals that once ran all summer now dry up by June.")
PRICES = ("p3", "Prices of wheat in the local market have doubled since spring.")


def anchored_on(exact: str, *paragraphs):
    article = text_of(*paragraphs)
    return complete_target(article, quote(exact), revision_id=7)


def test_completed_target_has_quote_context_position_and_block():
    target = anchored_on("now dry up by June", RIVER, CANALS)
    quote_selector, position, block = target["selector"]
    assert quote_selector["exact"] == "now dry up by June"
    assert quote_selector["prefix"].endswith("ran all summer ")
    assert quote_selector["suffix"] == "."
    text = text_of(RIVER, CANALS).text
    assert text[position["start"] : position["end"]] == "now dry up by June"
    assert block["value"] == '[data-block-id="p2"]'
    assert block["refinedBy"]["start"] == CANALS[1].index("now dry")
    assert target["revision"] == 7


def test_unchanged_text_stays_anchored_in_place():
    target = anchored_on("lowest level in a decade", RIVER, CANALS)
    result = resolve(text_of(RIVER, CANALS), target)
    assert result.state == "anchored"
    assert result.exact == "lowest level in a decade"


def test_new_paragraph_inserted_before_keeps_the_anchor_in_its_block():
    target = anchored_on("now dry up by June", RIVER, CANALS)
    edited = text_of(("new", "A new opening paragraph, added after publication."), RIVER, CANALS)
    result = resolve(edited, target)
    assert result.state == "anchored"
    assert edited.text[result.start : result.end] == "now dry up by June"
    assert result.block_id == "p2"


def test_text_inserted_before_the_passage_in_its_paragraph_moves_it():
    target = anchored_on("now dry up by June", RIVER, CANALS)
    edited = text_of(
        RIVER,
        ("p2", "Irrigation canals, dug in the 1970s, that once ran all summer now dry up by June."),
    )
    result = resolve(edited, target)
    assert result.state == "moved"
    assert edited.text[result.start : result.end] == "now dry up by June"
    assert not result.changed


def test_edits_inside_nearby_paragraphs_do_not_disturb_the_anchor():
    target = anchored_on("Prices of wheat", RIVER, CANALS, PRICES)
    edited = text_of(
        ("p1", "The river, officials admit, has fallen to its lowest level in thirty years."),
        ("p2", "Canals now dry up by May."),
        PRICES,
    )
    result = resolve(edited, target)
    assert result.state in ("anchored", "moved")
    assert edited.text[result.start : result.end] == "Prices of wheat"


def test_whitespace_changes_keep_the_passage():
    target = anchored_on("lowest level in a decade", RIVER, CANALS)
    edited = text_of(
        ("p1", "The river has fallen to its  lowest\nlevel in a  decade, farmers say."), CANALS
    )
    result = resolve(edited, target)
    assert result.state == "moved"
    assert " ".join(edited.text[result.start : result.end].split()) == "lowest level in a decade"


def test_punctuation_changes_keep_the_passage_as_changed():
    target = anchored_on("lowest level in a decade, farmers say", RIVER, CANALS)
    edited = text_of(
        ("p1", "The river has fallen to its lowest level in a decade; farmers say so."), CANALS
    )
    result = resolve(edited, target)
    assert result.state == "moved"
    assert result.changed
    assert edited.text[result.start : result.end].startswith(
        "lowest level in a decade; farmers say"
    )


def test_a_reworded_word_in_a_long_passage_is_still_found():
    passage = "Irrigation canals that once ran all summer now dry up by June"
    target = anchored_on(passage, RIVER, CANALS)
    edited = text_of(
        RIVER, ("p2", "Irrigation channels that once ran all summer now dry up by June.")
    )
    result = resolve(edited, target)
    assert result.state == "moved"
    assert result.changed
    assert edited.text[result.start : result.end].startswith("Irrigation channels")


def test_deleted_passage_is_orphaned_and_keeps_its_quote():
    target = anchored_on("now dry up by June", RIVER, CANALS, PRICES)
    edited = text_of(RIVER, PRICES)
    result = resolve(edited, target)
    assert result.state == "orphaned"
    assert result.start is None
    assert quote_of(target) == "now dry up by June"


def test_rewritten_paragraph_orphans_its_passage():
    target = anchored_on("farmers say", RIVER, CANALS)
    edited = text_of(("p1", "Officials dispute the figures released on Monday."), CANALS)
    assert resolve(edited, target).state == "orphaned"


def test_repeated_quote_is_told_apart_by_its_context():
    first = ("a", "The dam is closed. Farmers wait downstream.")
    second = ("b", "Upstream, the dam is closed. Herders wait too.")
    target = complete_target(
        text_of(first, second),
        {
            "selector": [
                {"type": "TextQuoteSelector", "exact": "the dam is closed", "prefix": "Upstream, "}
            ]
        },
    )
    assert target["selector"][2]["value"] == '[data-block-id="b"]'
    edited = text_of(("new", "Breaking."), first, second)
    result = resolve(edited, target)
    assert edited.block_at(result.start).id == "b"


def test_position_only_selector_is_completed_with_its_quote():
    article = text_of(RIVER, CANALS)
    start = article.text.index("farmers say")
    target = complete_target(
        article, {"selector": {"type": "TextPositionSelector", "start": start, "end": start + 11}}
    )
    assert target["selector"][0]["exact"] == "farmers say"


def test_selection_with_browser_whitespace_is_matched_to_the_text():
    article = text_of(RIVER, CANALS)
    target = complete_target(article, quote("farmers say.\n\n\n  Irrigation canals"))
    assert target["selector"][0]["exact"] == "farmers say.\n\nIrrigation canals"


@pytest.mark.parametrize(
    ("target", "field"),
    [
        (quote(""), "target.exact"),
        (quote("   \n "), "target.exact"),
        (quote("x" * 1001), "target.exact"),
        (quote("a passage that is not in the article"), "target.exact"),
        (
            {"selector": [{"type": "TextPositionSelector", "start": 5, "end": 99999}]},
            "target.start",
        ),
        ({"selector": [{"type": "TextPositionSelector", "start": -3, "end": 4}]}, "target.start"),
        ({"selector": [{"type": "TextPositionSelector", "start": "1", "end": 4}]}, "target.start"),
        ({"selector": [{"type": "TextQuoteSelector", "exact": 42}]}, "target.exact"),
        ({"selector": "nope"}, "target.selector"),
        ("a string", "target"),
        ({"selector": []}, "target.exact"),
        ({"prompt": "missing-block"}, "target.prompt"),
    ],
)
def test_bad_selectors_are_refused_with_a_clear_message(target, field):
    with pytest.raises(ApiError) as refused:
        complete_target(text_of(RIVER, CANALS), target)
    assert refused.value.status == 400
    assert refused.value.code == "invalid"
    assert field in refused.value.fields
    assert refused.value.message.endswith(".")


def test_answer_to_an_editor_prompt_is_anchored_on_its_passage():
    article = text_of(RIVER, ("prompt-1", "Is the drought caused by the new dam upstream?"))
    target = complete_target(
        article, {"prompt": "prompt-1"}, prompt_passages={"prompt-1": "the new dam upstream"}
    )
    assert target["prompt"] == "prompt-1"
    assert target["selector"][0]["exact"] == "the new dam upstream"
