"""Untrusted feed bytes to clean UTF-8 XML: the character set decision and a defused DOCTYPE.

The charset is decided here, not left to feedparser, because news sites in the region serve
windows-1256, windows-1251 and iso-8859-9 feeds, often without declaring them, or declaring the
wrong one. In order: a byte order mark; the declared charsets (HTTP header, then the XML prolog),
except that bytes which are valid UTF-8 win over a declared single-byte charset; UTF-8 (also when
only a few stray bytes are invalid); else a guess among the legacy code pages (`legacy_charset`).

The DOCTYPE's internal subset is rebuilt keeping only short, plain entity declarations: external
entities (XXE), parameter entities and long or nested values ("billion laughs", quadratic blowup)
are dropped before any XML parser sees them. That holds for every DOCTYPE before the first element,
also after junk that makes the prolog invalid, and entity declarations outside a DOCTYPE there are
dropped: feedparser's lenient parser would declare them all. References to a dropped entity make the strict parser
fail and feedparser's lenient parser keeps them as text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from bot.adapters.feeds.legacy_charset import legacy_charset
from bot.core.feeds.char_refs import repair_character_references

__all__ = ["PreparedFeed", "declared_charset", "defuse_doctype", "prepare_feed_bytes"]

# Labels whose bytes browsers decode with a superset code page (the WHATWG Encoding Standard does).
_SUPERSETS = {"ascii": "cp1252", "latin-1": "cp1252", "iso8859-1": "cp1252", "iso8859-9": "cp1254"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CHARSET_PARAM = re.compile(r";\s*charset\s*=\s*[\"']?([^\"';\s]+)", re.IGNORECASE)
_PROLOG_ENCODING = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z][A-Za-z0-9._:-]{0,40})[\"']")
_LANG_HINT = re.compile(rb"<(?:\w+:)?language>\s*([A-Za-z]{2,3})|xml:lang\s*=\s*[\"']([A-Za-z]{2,3})")
_UTF8_STRAY_SHARE = 0.1
"""UTF-8 with at most this share of invalid sequences among its non-ASCII characters is still UTF-8."""

_PROLOG_TOKEN = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_DOCTYPE_HEAD = re.compile(
    r"<!DOCTYPE\s+[^\s\[>]+(?:\s+(?:SYSTEM|PUBLIC)(?:\s*(?:\"[^\"]*\"|'[^']*'))+)?\s*", re.S | re.I)
_DECLARATION_START = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.I)
_DECLARATION = re.compile(r"<!(?:[^\"'>]|\"[^\"]*\"|'[^']*')*>")
_DECLARATION_CLOSE = re.compile(r"\s*>")
_ELEMENT_START = re.compile(r"<[A-Za-z0-9_]")  # where feedparser's head (the part it takes entities from) ends
_SUBSET_TOKEN = re.compile(r"\s+|<!--.*?-->|<\?.*?\?>|<!(?:[^\"'>]|\"[^\"]*\"|'[^']*')*>|%[^;\s]*;", re.S)
_SAFE_ENTITY = re.compile(
    r"<!ENTITY\s+[A-Za-z_][\w.-]*\s+\"(?:[^\"&%<>\]]{0,32}|&#(?:[0-9]{1,7}|x[0-9A-Fa-f]{1,6});)\"\s*>")


@dataclass(frozen=True)
class PreparedFeed:
    """UTF-8 bytes ready for feedparser, the encoding they were decoded from, and what was odd."""

    body: bytes
    encoding: str
    note: str | None = None


def declared_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    match = _CHARSET_PARAM.search(content_type or "")
    return match.group(1) if match else None


def _codec(label: str | None) -> str | None:
    """Python's codec for a charset label (superset code pages for latin-1 and iso-8859-9), or None."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _decodes(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):  # LookupError: not a text encoding (e.g. "base64")
        return None


def _mostly_utf8(body: bytes) -> str | None:
    text = body.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return text if non_ascii and invalid <= _UTF8_STRAY_SHARE * non_ascii else None


def _byte_order_mark(body: bytes) -> str | None:
    for mark, codec in _BOMS:
        if body.startswith(mark):
            return codec
    if body.startswith(b"<\x00?\x00"):
        return "utf-16-le"
    if body.startswith(b"\x00<\x00?"):
        return "utf-16-be"
    return None


def _language_hint(body: bytes) -> str | None:
    match = _LANG_HINT.search(body, 0, 65_536)
    return (match.group(1) or match.group(2)).decode("ascii").lower() if match else None


def _decode(body: bytes, content_type: str | None) -> tuple[str, str, str | None]:
    """(text, encoding, note) for the body; see the module docstring for the order of decisions."""
    bom = _byte_order_mark(body)
    if bom:
        return body.decode(bom, errors="replace"), bom, None
    prolog = _PROLOG_ENCODING.match(body)
    labels = [declared_charset(content_type), prolog.group(1).decode("ascii") if prolog else None]
    declared = [codec for codec in map(_codec, labels) if codec]
    is_ascii = body.isascii()
    ascii_compatible = body.lstrip()[1:2] not in (b"", b"\x00")  # "<r", not "<\x00r"
    for codec in dict.fromkeys(declared):
        if ascii_compatible and codec.startswith(("utf-16", "utf-32")):
            continue  # a server that says UTF-16 about UTF-8 or ASCII bytes
        if not is_ascii and not codec.startswith("utf") and _decodes(body, "utf-8") is not None:
            return body.decode("utf-8"), "utf-8", f"charset: declared {codec}, but the bytes are UTF-8"
        text = _decodes(body, codec)
        if text is not None:
            return text, codec, None if codec == declared[0] else f"charset: declared {declared[0]}, used {codec}"
    was = f"declared {declared[0]}" if declared else "none declared"
    text = _decodes(body, "utf-8") or _mostly_utf8(body)
    if text is not None:
        return text, "utf-8", f"charset: {was}, decoded as UTF-8" if declared else None
    codec = legacy_charset(body, _language_hint(body))
    return body.decode(codec, errors="replace"), codec, f"charset: {was}, guessed {codec}"


def _safe_subset(text: str, start: int) -> tuple[list[str], int] | None:
    """The safe entity declarations of the internal subset starting at `start`, and where it ends."""
    safe: list[str] = []
    position = start
    while position < len(text) and text[position] != "]":
        token = _SUBSET_TOKEN.match(text, position)
        if token is None or token.end() == position:
            return None
        if _SAFE_ENTITY.fullmatch(token.group()):
            safe.append(token.group())
        position = token.end()
    return (safe, position + 1) if position < len(text) else None


def _after(text: str, start: int, char: str) -> int:
    """The index just after the next `char` from `start`, or the end of `text`."""
    found = text.find(char, start)
    return len(text) if found < 0 else found + 1


def _defused_doctype_at(text: str, start: int) -> tuple[str, int]:
    """The DOCTYPE declaration at `start` rebuilt with only its safe entities, and where the original ends.

    A declaration that cannot be read (garbled, unterminated) is dropped whole.
    """
    head = _DOCTYPE_HEAD.match(text, start)
    if head is None:
        return "", _after(text, start, ">")
    rest = head.end()
    safe: list[str] = []
    if text.startswith("[", rest):
        subset = _safe_subset(text, rest + 1)
        if subset is None:
            end = text.find("]>", rest)
            return "", end + 2 if end >= 0 else _after(text, rest, ">")
        safe, rest = subset
    close = _DECLARATION_CLOSE.match(text, rest)
    if close is None:
        return "", _after(text, rest, ">")
    # One declaration per line, the DOCTYPE at the start of a line: the layout feedparser's own
    # DOCTYPE handling recognises (it re-declares the safe entities for its lenient parser too).
    subset_text = "".join(f"\n{declaration}" for declaration in safe)
    subset_text = f" [{subset_text}\n]" if safe else ""
    return f"\n{head.group().rstrip()}{subset_text}>", close.end()


def _first_element(text: str, start: int) -> int:
    element = _ELEMENT_START.search(text, start)
    return element.start() if element else len(text)


def defuse_doctype(text: str) -> str:
    """The document with every DOCTYPE before its first element reduced to short, plain entity
    declarations, and any other entity declaration there dropped.

    Not only the DOCTYPE at the start of the prolog: after one junk character the strict parser
    gives up, and feedparser's lenient parser still declares every entity it finds before the first
    element (a 96 KB feed expanded to 757 MB that way).
    """
    position = 0
    while (token := _PROLOG_TOKEN.match(text, position)) and token.end() > position:
        position = token.end()
    parts = [text[:position]]
    head_end = _first_element(text, position)
    while (found := _DECLARATION_START.search(text, position, head_end)) is not None:
        parts.append(text[position : found.start()])
        if found.group().upper() == "<!DOCTYPE":
            kept, position = _defused_doctype_at(text, found.start())
            parts.append(kept)
        else:
            declaration = _DECLARATION.match(text, found.start())
            position = declaration.end() if declaration else _after(text, found.start(), ">")
        if position > head_end:  # an element start was inside the declaration ("<!ENTITY a '<b>'>")
            head_end = _first_element(text, position)
    parts.append(text[position:])
    return "".join(parts)


def prepare_feed_bytes(body: bytes, content_type: str | None) -> PreparedFeed:
    """Decode `body` (see the module docstring), defuse its DOCTYPE, repair its character references
    (bot.core.feeds.char_refs) and re-encode it as UTF-8."""
    text, encoding, note = _decode(body, content_type)
    text = repair_character_references(defuse_doctype(text))
    return PreparedFeed(text.encode("utf-8", errors="replace"), encoding, note)
