"""HTML in and out: feed markup to plain text, and plain text to Telegram-safe HTML.

Feed titles and summaries are untrusted and often broken HTML. `strip_html` turns them into one
line of plain text (tags dropped, script/style contents dropped, entities decoded, whitespace
collapsed) and never raises. `escape` prepares plain text for Telegram's HTML parse mode.
Standard library only, no I/O.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

__all__ = ["escape", "strip_html", "without_bidi_controls"]

# Elements whose text content is never shown to a reader.
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "object"})

# Elements that separate words visually; a space is inserted where they start or end so that
# "<p>one</p><p>two</p>" becomes "one two" and not "onetwo".
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "img", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip

# C0/C1 control characters other than the whitespace ones; they are noise in a chat message.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_WHITESPACE = re.compile(r"\s+")
# Bidi embeddings, overrides and isolates: from a feed they can reverse what follows them ("U+202E")
# and spoof a title or a link; the bot isolates feed text itself (bot/core/interface/bidi.py).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_TAG = re.compile(r"<[^>]*>?")
# The start of a tag, comment or declaration; one that has no ">" after it was cut off at the end of
# the input (feeds truncate summaries: "... read more <a href="ht").
_TAG_START = re.compile(r"<[A-Za-z!/?]")


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A self-closing <script/> has no content to hide.
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(data)

    def close(self) -> None:
        # html.parser hands an unfinished tag at the very end back as text; drop it instead.
        self.rawdata = _without_truncated_tag(self.rawdata)
        super().close()


def _without_truncated_tag(text: str) -> str:
    """`text` without a tag that starts after its last ">" (found in one pass: no backtracking)."""
    truncated = _TAG_START.search(text, text.rfind(">") + 1)
    return text[: truncated.start()] if truncated else text


def without_bidi_controls(text: str) -> str:
    """`text` without bidi embedding, override and isolate characters."""
    return _BIDI_CONTROLS.sub("", text)


def _collapse(text: str) -> str:
    text = without_bidi_controls(_CONTROL.sub(" ", text))
    return _WHITESPACE.sub(" ", text).strip()


def strip_html(text: str) -> str:
    """Return the visible text of an HTML fragment as a single line of plain text.

    Tags and comments are dropped, the contents of script/style (and similar) elements are dropped,
    character references are decoded once, control characters removed and runs of whitespace
    (including non-breaking spaces) collapsed to one space. Never raises on malformed markup.
    """
    if not text:
        return ""
    if "<" not in text and "&" not in text:
        return _collapse(text)
    parser = _TextExtractor()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # pragma: no cover - html.parser is lenient; this is a last resort
        return _collapse(html.unescape(_TAG.sub(" ", text)))
    return _collapse("".join(parser.parts))


def escape(text: str) -> str:
    """Escape plain text for Telegram's HTML parse mode: ``& < >`` and both quote characters."""
    return html.escape(text, quote=True)
