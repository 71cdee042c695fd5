"""Parsing an export's XML without trusting it: no DTD, no entities, no network, no huge trees.

lxml with `resolve_entities=False`, `no_network=True`, `huge_tree=False` and `load_dtd=False`, and,
before parsing, a look at the prolog: a document that declares a DTD (`<!DOCTYPE`, `<!ENTITY`) is
refused outright, as defusedxml does, so neither an entity bomb nor an external entity is expanded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from .sources import SourceError

PROLOG_BYTES = 64 * 1024
FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def refuse_dtd(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(PROLOG_BYTES)
    first = FIRST_ELEMENT.search(head)
    prolog = head[: first.start()] if first else head
    if DECLARATION.search(prolog):
        raise SourceError(
            f"{path.name}: declares a DTD or entities, which are refused (unsafe XML)"
        )


def iterparse(path: Path, tags: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    """(event, element) for the start of the root and the end of each element named in `tags`;
    every XML error becomes one `SourceError` line."""
    if not path.is_file():
        raise SourceError(f"{path}: no such file")
    refuse_dtd(path)
    try:
        for event, element in etree.iterparse(
            str(path),
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            remove_comments=True,
            remove_pis=True,
        ):
            if event == "start":
                if element.getparent() is None:
                    docinfo = element.getroottree().docinfo
                    if docinfo.doctype or docinfo.internalDTD is not None:
                        raise SourceError(f"{path.name}: declares a DTD, which is refused")
                    yield event, element
                continue
            if element.tag in tags:
                yield event, element
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg or exc).splitlines()[0]
        raise SourceError(f"{path.name}: not well-formed XML ({message})") from exc
