"""How many SMS parts a text costs, and in which encoding (3GPP TS 23.038).

GSM-7: 160 septets in one part, 153 per part when split; characters of the extension
table (^ { } \\ [ ~ ] | € and form feed) take two septets and an escape pair is never split
across parts. Anything outside GSM-7 forces UCS-2: 70 UTF-16 code units in one part,
67 per part when split; a surrogate pair (emoji) is never split either.
"""

from __future__ import annotations

import re

GSM7 = "GSM-7"
UCS2 = "UCS-2"

_GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = "\f^{}\\[~]|€"
_NOT_GSM = re.compile("[^" + re.escape(_GSM_BASIC + _GSM_EXTENSION) + "]")
_EXTENSION = re.compile("[" + re.escape(_GSM_EXTENSION) + "]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def count_segments(text: str) -> tuple[int, str]:
    """(parts, encoding) for `text`."""
    if _NOT_GSM.search(text) is None:
        wide = len(_EXTENSION.findall(text))
        return _parts(text, len(text) + wide, wide, 160, 153, _EXTENSION), GSM7
    wide = len(_ASTRAL.findall(text))
    return _parts(text, len(text) + wide, wide, 70, 67, _ASTRAL), UCS2


def _parts(text: str, units: int, wide: int, single: int, per_part: int, wide_re) -> int:
    if units <= single:
        return 1
    if not wide:
        return -(-units // per_part)
    # Two-unit characters cannot straddle a part boundary: pack greedily.
    parts, used = 1, 0
    for char in text:
        size = 2 if wide_re.match(char) else 1
        if used + size > per_part:
            parts, used = parts + 1, 0
        used += size
    return parts
