"""Sites of reports: two feeds of one outlet are one source, outlets on country-code domains stay apart."""

from __future__ import annotations

import pytest

from bot.core.stories.sources import registrable_domain, site_of


@pytest.mark.parametrize(("host", "site"), [
    ("www.aa.com.tr", "aa.com.tr"),
    ("aa.com.tr", "aa.com.tr"),
    ("arabic.rt.com", "rt.com"),
    ("feeds.bbci.co.uk", "bbci.co.uk"),
    ("news.example", "news.example"),
    ("WWW.Example.ORG.", "example.org"),
    ("ria.ru", "ria.ru"),
    ("tass.ru:8443", "tass.ru"),
    ("127.0.0.1", "127.0.0.1"),
    ("localhost", "localhost"),
    ("sub.site.msk.ru", "site.msk.ru"),
])
def test_registrable_domain(host: str, site: str) -> None:
    assert registrable_domain(host) == site


def test_two_feeds_of_one_outlet_share_a_site() -> None:
    arabic = site_of("https://www.aa.com.tr/ar/syria/item-1", "https://www.aa.com.tr/ar/rss/default")
    turkish = site_of("https://aa.com.tr/tr/dunya/haber-2", "https://feeds.aa.com.tr/tr/rss")
    assert arabic == turkish == "aa.com.tr"


def test_the_feed_decides_when_the_link_is_missing_or_broken() -> None:
    assert site_of(None, "https://www.enabbaladi.net/feed") == "enabbaladi.net"
    assert site_of("not a url", "https://www.enabbaladi.net/feed") == "enabbaladi.net"
    assert site_of("http://[::1", "https://syriahr.com/feed") == "syriahr.com"


def test_different_outlets_are_different_sites() -> None:
    assert site_of("https://www.hurriyet.com.tr/a", "") != site_of("https://www.sabah.com.tr/b", "")
