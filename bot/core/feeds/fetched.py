"""What crosses the edge between the feed adapters and the scan: a fetch's result and a parsed feed.

Defined once here, in the core, so that the fetcher and parser (bot/adapters/feeds) produce them and
the services (bot/services/scan.py, bot/services/feeds.py) consume them through the ports in
bot/services/ports.py; mypy checks both sides against these classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.models import ParsedEntry


@dataclass(frozen=True)
class FetchResult:
    """The outcome of one successful fetch (a 2xx with its body, or a 304 without one).

    `final_url` is the URL the body came from after redirects; `permanent_redirect` is true when
    every redirect on the way was permanent (301/308), i.e. the feed's stored URL may be updated.
    `etag` and `last_modified` are the validators to send next time. `max_age_seconds` is how long
    the server says the response stays fresh (Cache-Control s-maxage/max-age, else Expires minus
    Date; None when absent or no-cache), a lower bound for the next check.
    """

    status: int
    body: bytes | None
    etag: str | None
    last_modified: str | None
    final_url: str
    not_modified: bool
    permanent_redirect: bool
    content_type: str | None
    max_age_seconds: float | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed: its title, declared language, entries and any recoverable problem.

    `ttl_seconds` is how long the feed asks readers to wait between checks (RSS ``<ttl>`` minutes,
    else the syndication module's ``updatePeriod`` / ``updateFrequency``), or None.
    """

    title: str
    lang: str | None
    entries: list[ParsedEntry] = field(default_factory=list)
    warning: str | None = None
    ttl_seconds: float | None = None
