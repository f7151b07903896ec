"""Whole-message keyword matching: "stop." and " Stop! " are STOP, "stop sending me
these" is not. A false opt-out silences a customer who never asked for it, so only
the whole message, stripped of what handsets and people add around a word, counts."""

from __future__ import annotations

import enum
import unicodedata

TRAILING_PUNCTUATION = frozenset(".!?,;:")
# Emoji are mostly symbols (So; skin tones are Sk); the joiners and selectors that
# glue them into one glyph are format/mark characters.
_EMOJI_CATEGORIES = frozenset({"So", "Sk"})
_EMOJI_GLUE = frozenset({"\u200d", "\ufe0e", "\ufe0f", "\u20e3"})


class Category(enum.StrEnum):
    OPT_OUT = "OPT_OUT"
    OPT_IN = "OPT_IN"
    HELP = "HELP"
    CUSTOM = "CUSTOM"
    NONE = "NONE"


def _is_emoji(char: str) -> bool:
    return char in _EMOJI_GLUE or unicodedata.category(char) in _EMOJI_CATEGORIES


def _strip(text: str, trailing: bool) -> str:
    """Drop whitespace and emoji at the start, and also punctuation at the end."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or _is_emoji(text[start])):
        start += 1
    while start < end and (
        text[end - 1].isspace()
        or _is_emoji(text[end - 1])
        or (trailing and text[end - 1] in TRAILING_PUNCTUATION)
    ):
        end -= 1
    return text[start:end]


def normalise(text: str) -> str:
    """The form keywords are compared in: case-folded, surroundings removed."""
    return _strip(unicodedata.normalize("NFKC", text), trailing=True).casefold()


def classify(body: str, keywords: dict[str, Category]) -> Category:
    """`keywords` maps normalised keywords to their category."""
    return keywords.get(normalise(body), Category.NONE)


def first_word(body: str) -> str:
    """The contract's `Keyword`: the message's first word, upper-cased, without the
    punctuation and emoji around it ("stop." -> "STOP"); "" for an empty message."""
    words = unicodedata.normalize("NFKC", body).split()
    for word in words:
        shown = _strip(word, trailing=True)
        if shown:
            return shown.upper()
    return ""
