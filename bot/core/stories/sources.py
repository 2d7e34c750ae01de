"""Which site a report comes from, so two feeds of one outlet never count as two independent sources.

A site is the registrable domain of the entry's link (`www.aa.com.tr` and `aa.com.tr/ar/...` are both
`aa.com.tr`), else of the feed's URL. Without a public-suffix list, a short list of second-level labels
used under country codes (`com.tr`, `co.uk`, `org.sy`...) decides whether the site keeps two labels or three.
Pure: no I/O.
"""

from __future__ import annotations

from urllib.parse import urlsplit

_SECOND_LEVEL = frozenset({"ac", "co", "com", "edu", "gen", "gov", "info", "ltd", "mil", "net", "news", "nic",
                           "org", "pp", "press", "tv", "web", "bel", "av", "k12", "spb", "msk"})
"""Labels that, right under a two-letter country code, are part of the public suffix (com.tr, co.uk, msk.ru)."""


def registrable_domain(host: str) -> str:
    """`host` cut to the domain its owner registered (lower case, no port, no trailing dot)."""
    host = host.strip().lower().rstrip(".").split(":")[0]
    if not host or host.replace(".", "").isdigit() or host.startswith("["):
        return host
    labels = [label for label in host.split(".") if label]
    if len(labels) <= 2:
        return ".".join(labels)
    keep = 3 if len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""


def site_of(link: str | None, feed_url: str) -> str:
    """The site a report belongs to: its link's registrable domain, else its feed's, else the feed URL."""
    host = _host(link) or _host(feed_url)
    return registrable_domain(host) if host else feed_url.strip().lower()
