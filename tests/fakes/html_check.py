"""A check the tests of Telegram HTML share: a text cut to fit must still be well-formed markup."""

from __future__ import annotations

import re

_TAG = re.compile(r"</?([a-z-]+)[^<>]*>")


def balanced(html: str) -> bool:
    """Whether every tag of `html` is complete and closed in order, and no tag or entity is cut at the end."""
    if html.rfind("<") > html.rfind(">") or html.rfind("&") > html.rfind(";"):
        return False
    stack: list[str] = []
    for tag in _TAG.finditer(html):
        if tag.group().startswith("</"):
            if not stack or stack.pop() != tag.group(1):
                return False
        else:
            stack.append(tag.group(1))
    return not stack
