"""Editor prompts: a paragraph with a marked passage and a question, validated and rendered on the page."""

from __future__ import annotations

import pytest
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.rich_text import RichText

from masthead.discussion.blocks import FeedbackPromptBlock
from masthead.discussion.inline.matching import article_text


def prompt_value(paragraph: str, passage: str, question: str) -> dict:
    return {"paragraph": RichText(paragraph), "passage": passage, "question": question}


def test_passage_must_occur_in_the_paragraph():
    block = FeedbackPromptBlock()
    value = block.to_python(
        {
            "paragraph": "<p>The dam upstream holds back the spring floods.</p>",
            "passage": "",
            "question": "Q?",
        }
    )
    value["passage"] = "the autumn rains"
    value["question"] = "Did you notice?"
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(value)
    assert "passage" in refused.value.block_errors


def test_passage_with_different_spacing_is_accepted_and_normalised():
    block = FeedbackPromptBlock()
    value = block.to_python(
        {
            "paragraph": "<p>The dam upstream holds back the spring floods.</p>",
            "passage": "holds  back the\nspring floods",
            "question": "Has it changed your season?",
        }
    )
    assert block.clean(value)["passage"] == "holds back the spring floods"


@pytest.fixture
def a_prompted_article(a_section):
    from masthead.publishing.actions import create_article

    return create_article(
        a_section,
        "Who controls the dam?",
        body=[
            ("paragraph", "<p>The ministry says releases follow the treaty.</p>"),
            (
                "feedback_prompt",
                {
                    "paragraph": "<p>Farmers say the dam upstream <b>holds back</b> the spring floods.</p>",
                    "passage": "the dam upstream holds back the spring floods",
                    "question": 'Has the dam changed your "season" <script>?',
                },
            ),
        ],
    )


def test_editor_prompt_renders_paragraph_question_and_passage_escaped(client, a_prompted_article):
    response = client.get(a_prompted_article.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Farmers say the dam upstream <b>holds back</b> the spring floods." in html
    assert "data-inline-prompt" in html
    assert 'data-passage="the dam upstream holds back the spring floods"' in html
    assert "Has the dam changed your &quot;season&quot; &lt;script&gt;?" in html
    assert "<script>?" not in html


def test_prompt_paragraph_is_part_of_the_anchoring_text(a_prompted_article):
    article = article_text(a_prompted_article.body)
    assert "the dam upstream holds back the spring floods" in article.text
    prompt = next(block for block in article.blocks if block.type == "feedback_prompt")
    assert article.text[prompt.start : prompt.end].startswith("Farmers say")
