"""The editor-prompt StreamField block: a paragraph with a marked passage and a question for readers.

Readers see the passage highlighted with a bubble: the question and how many answered. Answers are
ordinary comments whose target names the prompt's block (`{"prompt": <block id>}`), so they are voted
on, replied to and moderated like any other comment.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

PROMPT_FEATURES = ["bold", "italic", "link", "superscript", "subscript", "strikethrough"]


class FeedbackPromptBlock(blocks.StructBlock):
    paragraph = blocks.RichTextBlock(features=PROMPT_FEATURES)
    passage = blocks.CharBlock(
        max_length=300,
        help_text="The words to highlight, copied exactly from the paragraph.",
    )
    question = blocks.CharBlock(
        max_length=200, help_text="What readers are asked, e.g. 'Has the drought reached you?'"
    )

    class Meta:
        icon = "help"
        label = "Paragraph with a question for readers"
        template = "discussion/inline/prompt_block.html"

    def clean(self, value: Any) -> Any:
        from masthead.publishing.rendering import rich_text_plain

        value = super().clean(value)
        passage = " ".join(str(value.get("passage") or "").split())
        text = " ".join(rich_text_plain(str(value["paragraph"].source)).split())
        if passage and passage not in text:
            raise StructBlockValidationError(
                block_errors={
                    "passage": ValidationError(
                        "The passage must be copied exactly from the paragraph above."
                    )
                }
            )
        value["passage"] = passage
        return value


def prompt_passages(body: Any) -> dict[str, str]:
    """Editor prompts of an article body: block id -> marked passage."""
    return {
        str(block.id): str(block.value["passage"])
        for block in body
        if block.block_type == "feedback_prompt"
    }


def prompt_questions(body: Any) -> dict[str, str]:
    return {
        str(block.id): str(block.value["question"])
        for block in body
        if block.block_type == "feedback_prompt"
    }
