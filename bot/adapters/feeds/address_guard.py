"""The SSRF guard: refuse to fetch feeds from addresses inside the bot's own network.

An admin (or a feed's redirect) could point the bot at `http://127.0.0.1:5432/`, a router at
`192.168.0.1` or the cloud metadata service at `169.254.169.254`. `AddressGuard.check` resolves the
host (literal IPv4/IPv6, IPv4-mapped IPv6, and the decimal/octal/hex/short forms that
`inet_aton` and `getaddrinfo` accept, such as `2130706433` or `0x7f.1`) and raises `UnsafeAddress`
when ANY address it resolves to is loopback, private, link-local, multicast, reserved, unspecified,
carrier-grade NAT (100.64.0.0/10), cloud metadata, or otherwise not globally routable. With
`allow_private=True` (tests, or a deliberate deployment on a private network) nothing is checked.

The resolver is injectable so that tests never look up real names. The check runs before each
request (every redirect hop) and returns the checked address to connect to: the fetcher connects
there (bot/adapters/feeds/pinned.py) instead of letting the HTTP client resolve the name a second time,
so a DNS server that answers differently the second time (DNS rebinding) cannot steer the bot inside.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import unquote

from bot.errors import FetchError, UnsafeAddress

__all__ = ["AddressGuard", "IPAddress", "Resolver", "parse_numeric_host", "system_resolver", "unsafe_reason"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]
"""Resolves (host, port) to address strings, like `getaddrinfo` does."""

_METADATA = frozenset(ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200"))
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Characters of the numeric IPv4 spellings inet_aton accepts: 127.1, 2130706433, 0177.0.0.1, 0x7f.1.
_NUMERIC_V4 = re.compile(r"^(?:0[xX][0-9a-fA-F]+|[0-9]+)(?:\.(?:0[xX][0-9a-fA-F]+|[0-9]+)){0,3}$")


async def system_resolver(host: str, port: int) -> list[str]:
    """The operating system's resolver (`getaddrinfo`, run off the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def parse_numeric_host(host: str) -> IPAddress | None:
    """The address a numeric host denotes (any spelling `inet_aton` accepts, or IPv6), else None."""
    host = unquote(host).strip().strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_V4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address tunnels to (6to4 or Teredo), if any."""
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def unsafe_reason(address: IPAddress) -> str | None:
    """Why the bot must not connect to `address` (e.g. "loopback"), or None if it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # ::ffff:a.b.c.d connects to a.b.c.d
            return unsafe_reason(address.ipv4_mapped)
        if address in _NAT64:  # a NAT64 gateway translates 64:ff9b::a.b.c.d to a.b.c.d
            return unsafe_reason(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        embedded = _embedded_ipv4(address)
        inner = unsafe_reason(embedded) if embedded is not None else None
        if inner:
            return inner
    checks: tuple[tuple[bool, str], ...] = (
        (address in _METADATA, "cloud metadata"),
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (isinstance(address, ipaddress.IPv4Address) and address in _CGNAT, "carrier-grade NAT"),
        (address.is_private, "private"),
        (address.is_reserved, "reserved"),
        (not address.is_global, "not globally routable"),
    )
    return next((reason for unsafe, reason in checks if unsafe), None)


class AddressGuard:
    """Checks that a host resolves only to public addresses; raises `UnsafeAddress` otherwise."""

    def __init__(self, *, allow_private: bool = False, resolver: Resolver | None = None) -> None:
        self.allow_private = allow_private
        self._resolve = resolver or system_resolver

    async def check(self, host: str, port: int) -> IPAddress | None:
        """The address to connect to for `host`: checked, the first IPv4 one it resolves to (else the
        first). Raise `UnsafeAddress` if ANY of its addresses is internal, `FetchError` if it does not
        resolve at all. None when private addresses are allowed: nothing is checked, the HTTP client
        resolves the name itself."""
        if self.allow_private:
            return None
        addresses = await self._addresses(host, port)
        for address in addresses:
            reason = unsafe_reason(address)
            if reason:
                shown = host if str(address) == host else f"{host} ({address})"
                raise UnsafeAddress(
                    f"refusing to fetch from {shown}: {reason} address "
                    "(set ALLOW_PRIVATE_FEED_ADDRESSES=true to allow internal addresses)"
                )
        return next((a for a in addresses if isinstance(a, ipaddress.IPv4Address)), addresses[0])

    async def _addresses(self, host: str, port: int) -> list[IPAddress]:
        numeric = parse_numeric_host(host)
        if numeric is not None:
            return [numeric]
        try:
            resolved = await self._resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"cannot resolve {host}: {exc}") from exc
        addresses = [parse_numeric_host(value) for value in resolved]
        if not addresses or None in addresses:
            raise FetchError(f"cannot resolve {host}: unexpected answer {resolved!r}")
        return [a for a in addresses if a is not None]
