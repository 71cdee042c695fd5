# ruff: noqa: RUF001, RUF002
"""Text as a rule sees it: NFKC, invisible characters gone, accents stripped, look-alike letters folded.

`fold("Vі4gra")` (Cyrillic і, digit 4) gives "viagra". Rules and the classifier both read folded text,
so spelling a banned word with homoglyphs, zero-width joiners, fullwidth or mathematical letters,
or spaced-out letters ("v.i.a.g.r.a") does not get past them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from masthead.core.text import _INVISIBLE

# Letters that render like Latin ones (a subset of Unicode's confusables.txt that spammers use:
# Cyrillic, Greek, Armenian, Cherokee and a few symbols). NFKC has already folded fullwidth,
# mathematical and circled letters.
_CONFUSABLES = {
    # Cyrillic
    "а": "a",
    "в": "b",
    "г": "r",
    "е": "e",
    "ё": "e",
    "з": "3",
    "и": "u",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "к": "k",
    "л": "n",
    "м": "m",
    "н": "h",
    "о": "o",
    "п": "n",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "ц": "u",
    "ш": "w",
    "щ": "w",
    "ъ": "b",
    "ы": "bi",
    "ь": "b",
    "ѕ": "s",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "һ": "h",
    "ӏ": "l",
    "ү": "y",
    "ғ": "f",
    "ө": "o",
    "ɡ": "g",
    "ʏ": "y",
    "ɪ": "i",
    "ɴ": "n",
    "ʀ": "r",
    "ᴀ": "a",
    "ʙ": "b",
    "ᴄ": "c",
    "ᴅ": "d",
    "ᴇ": "e",
    "ᴊ": "j",
    "ᴋ": "k",
    "ʟ": "l",
    "ᴍ": "m",
    "ᴏ": "o",
    "ᴘ": "p",
    "ᴛ": "t",
    "ᴜ": "u",
    "ᴠ": "v",
    "ᴡ": "w",
    "ᴢ": "z",
    # Greek
    "α": "a",
    "β": "b",
    "γ": "y",
    "δ": "d",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "σ": "o",
    "ς": "c",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ω": "w",
    "ϲ": "c",
    "ϳ": "j",
    "ϱ": "p",
    "ϵ": "e",
    # Armenian and Cherokee look-alikes
    "օ": "o",
    "ս": "u",
    "ց": "g",
    "հ": "h",
    "ո": "n",
    "ե": "t",
    "Ꭺ": "a",
    "Ᏼ": "b",
    "Ꮯ": "c",
    "Ꭼ": "e",
    "Ꮋ": "h",
    "Ꮶ": "k",
    "Ꮮ": "l",
    "Ꮇ": "m",
    "Ꮲ": "p",
    "Ꮪ": "s",
    "Ꭲ": "t",
    "Ꮃ": "w",
    # Latin extras and symbols
    "ı": "i",
    "ȷ": "j",
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ħ": "h",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ℓ": "l",
    "℮": "e",
    "∂": "d",
}
# Digits and symbols standing in for letters inside words ("v1agr@", "c4s1n0").
_LEET = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "8": "b",
    "@": "a",
    "$": "s",
    "!": "i",
    "|": "l",
    "€": "e",
}
_CONFUSABLE_TABLE = str.maketrans(_CONFUSABLES)
_LEET_TABLE = str.maketrans(_LEET)
_ANY_LEET = re.compile("[" + "".join(re.escape(char) for char in _LEET) + "]")
_LEET_WORD = re.compile(r"(?<![\w@$!|€])[\w@$!|€]*[a-z][\w@$!|€]*|[\w@$!|€]*[@$!|€][\w@$!|€]*")
# Single letters separated by punctuation or spaces: "v.i.a.g.r.a", "c a s i n o".
_SPACED_LETTERS = re.compile(r"(?<!\w)(?:\w[\W_]{1,3}){3,}\w(?!\w)")
_NON_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")


def strip_marks(text: str) -> str:
    """Remove combining marks (accents, Zalgo stacks) after decomposing."""
    decomposed = unicodedata.normalize("NFD", text)
    if decomposed.isascii():  # most comments: no marks to look for, character by character
        return decomposed
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=512)
def fold(text: str) -> str:
    """The skeleton rules match against: lower-case ASCII-ish letters, leet digits read as letters."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = strip_marks(text).casefold()
    text = text.translate(_CONFUSABLE_TABLE)
    # Digits become letters only inside words that also have letters, so "2024" and "3 links" stay.
    if _ANY_LEET.search(text):  # without one, every word would come back as it went in
        text = _LEET_WORD.sub(_unleet, text)
    text = _SPACED_LETTERS.sub(lambda match: _NON_WORD.sub("", match.group(0)), text)
    return _SPACES.sub(" ", text).strip()


def _unleet(match: re.Match[str]) -> str:
    word = match.group(0)
    # Symbols at the edges are punctuation ("wow!", "$5"), not letters.
    core = word.strip("!|")
    if not core or not any(char.isalpha() for char in core):
        return word
    start = word.index(core)
    return word[:start] + core.translate(_LEET_TABLE) + word[start + len(core) :]


def scripts_of(text: str) -> set[str]:
    """The scripts of the letters in `text` (LATIN, CYRILLIC, GREEK...), from their Unicode names."""
    found = set()
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            found.add(name.split(" ", 1)[0] if name else "UNKNOWN")
    return found


def is_mixed_script(word: str) -> bool:
    """A single word mixing Latin with Cyrillic or Greek letters is almost always a disguise."""
    scripts = scripts_of(word)
    return "LATIN" in scripts and bool(scripts & {"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"})


def has_mixed_script_word(text: str) -> bool:
    return any(
        is_mixed_script(word) for word in re.findall(r"\w+", unicodedata.normalize("NFKC", text))
    )


def fingerprint(text: str) -> str:
    """A digest of the folded text with spacing and punctuation removed: copies of one spam share it."""
    skeleton = _NON_WORD.sub("", fold(text))
    return hashlib.blake2b(skeleton.encode(), digest_size=16).hexdigest()
