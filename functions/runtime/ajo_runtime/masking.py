"""Phone numbers as they may be logged: enough to correlate, not enough to dial."""

from __future__ import annotations

import re

# A run of 7+ digits, optionally with a leading + and the usual separators inside.
_NUMBER_IN_TEXT = re.compile(r"\+?\d(?:[ ().-]{0,2}\d){6,}")


def mask(number: str) -> str:
    """`+14155550100` -> `+1415*****00`."""
    if len(number) <= 7:
        return "*" * max(len(number) - 2, 0) + number[-2:]
    return number[:5] + "*" * (len(number) - 7) + number[-2:]


def mask_numbers_in_text(text: str) -> str:
    """Mask anything that looks like a phone number in free text (e.g. an upstream message)."""
    return _NUMBER_IN_TEXT.sub(_mask_match, text)


def _mask_match(match: re.Match[str]) -> str:
    found = match.group(0)
    digits = "".join(ch for ch in found if ch.isdigit())
    return mask(("+" if found.startswith("+") else "") + digits)
