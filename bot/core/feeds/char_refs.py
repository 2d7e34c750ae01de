"""Numeric character references that XML forbids, repaired or dropped before a feed is parsed.

Old PHP sites write an emoji as the two halves of a UTF-16 surrogate pair ("&#55357;&#56613;"), and
others emit lone surrogates, code points past U+10FFFF or control characters as references. One such
reference makes the strict XML parser reject the whole document, so every other entry of the feed
would be lost. `repair_character_references` joins surrogate pairs into the one reference they stand
for and drops the references no XML document may contain; valid references are left as written.
Linear in the length of the text; standard library only.
"""

from __future__ import annotations

import re

__all__ = ["repair_character_references"]

_REFERENCE = r"&#(?:[xX][0-9A-Fa-f]+|[0-9]+);"
_RUN = re.compile(f"(?:{_REFERENCE})+")
_ONE = re.compile(_REFERENCE)
_HIGH = range(0xD800, 0xDC00)
_LOW = range(0xDC00, 0xE000)


def _code_point(reference: str) -> int:
    """The code point a reference names; -1 for one too long to be any (never a huge int)."""
    digits = reference[2:-1]
    if len(digits) > 9:
        return -1
    return int(digits[1:], 16) if digits[:1] in "xX" else int(digits)


def _allowed_in_xml(code: int) -> bool:
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)


def _repaired_run(run: re.Match[str]) -> str:
    references = _ONE.findall(run.group())
    codes = [_code_point(reference) for reference in references]
    if all(map(_allowed_in_xml, codes)):
        return run.group()
    out: list[str] = []
    index = 0
    while index < len(codes):
        code = codes[index]
        if code in _HIGH and index + 1 < len(codes) and codes[index + 1] in _LOW:
            out.append(f"&#x{0x10000 + ((code - 0xD800) << 10) + (codes[index + 1] - 0xDC00):X};")
            index += 2
            continue
        if _allowed_in_xml(code):
            out.append(references[index])
        index += 1
    return "".join(out)


def repair_character_references(text: str) -> str:
    """`text` with surrogate-pair references joined and references XML forbids removed."""
    return _RUN.sub(_repaired_run, text) if "&#" in text else text
