"""A request to the address the guard checked, still addressed to the host name (DNS rebinding defence).

`pinned_request` turns "GET https://news.example/feed" plus the checked address 203.0.113.7 into a
request to https://203.0.113.7/feed that carries `Host: news.example` and asks httpcore to present
`news.example` as the TLS server name (the `sni_hostname` extension), so virtual hosting and
certificate verification work as if the name had been used, but no second DNS lookup happens. Pooled
connections are keyed by the address: two names on one checked address may share a connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.adapters.feeds.address_guard import IPAddress


@dataclass(frozen=True)
class PinnedRequest:
    """Where to connect, with which headers and httpcore extensions."""

    url: httpx.URL
    headers: dict[str, str]
    extensions: dict[str, Any] = field(default_factory=dict)


def pinned_request(url: httpx.URL, address: IPAddress | None, headers: dict[str, str]) -> PinnedRequest:
    """The request for `url` sent to `address` (unchanged when there is none to pin to)."""
    if address is None:
        return PinnedRequest(url, headers)
    host_header = url.netloc.decode("ascii")  # IDNA-encoded name, with the port when not the default
    extensions: dict[str, Any] = {}
    if url.scheme == "https":
        extensions["sni_hostname"] = url.raw_host.decode("ascii")
    return PinnedRequest(url.copy_with(host=str(address)), {**headers, "Host": host_header}, extensions)
