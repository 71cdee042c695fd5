"""Inline feedback: comments on a passage of an article (see docs/inline-feedback.md).

`matching` holds the text and the W3C Web Annotation selectors (pure functions: no database);
`reanchoring` finds each inline comment's passage again when the article is published and checks
a posted target against the live text; `models` stores where each passage lies per revision; `api`
serves the annotations of a thread.
"""
