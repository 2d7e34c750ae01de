"""Stable identities for feed entries: guid, else canonical link, else a hash of the content.

An entry's identity must not change between two fetches of the same feed (or a restart), so that
an entry is never alerted twice and never skipped. Links are canonicalised first so that tracking
parameters, fragments, default ports and letter case do not make one article look like two.
Standard library only, no I/O.
"""

from __future__ import annotations

import hashlib
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

__all__ = ["MAX_IDENTITY_LENGTH", "canonical_link", "content_hash", "entry_identity", "reused_guid_identity"]

MAX_IDENTITY_LENGTH = 255
"""Identities are stored in a column of this size; longer values are replaced by their hash."""

_DEFAULT_PORTS = {"http": 80, "https": 443}

# Query parameters that only track where a click came from; any `utm_*` parameter is dropped too.
_TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid"}
)


def _is_tracking(pair: str) -> bool:
    key = unquote(pair.split("=", 1)[0]).strip().lower()
    return key.startswith("utm_") or key in _TRACKING_PARAMS


def _netloc(parts: SplitResult) -> str:
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal loses its brackets in `hostname`
        host = f"[{host}]"
    port = parts.port
    if port is not None and _DEFAULT_PORTS.get(parts.scheme.lower()) != port:
        host = f"{host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    return f"{userinfo}@{host}" if userinfo else host


def canonical_link(url: str) -> str:
    """Return a canonical form of an absolute URL, for comparing and identifying links.

    Lower-cases the scheme and host, drops the fragment, default ports and tracking parameters
    (``utm_*``, ``fbclid``, ``gclid`` and similar click ids), and keeps every other query
    parameter exactly as written and in its original order. An empty http(s) path becomes ``/``.
    Anything that is not an absolute URL (or cannot be parsed) is returned stripped but unchanged.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        if not parts.scheme or not parts.netloc:
            return url
        netloc = _netloc(parts)
    except ValueError:  # e.g. a bad port or an unbalanced IPv6 bracket
        return url
    scheme = parts.scheme.lower()
    path = parts.path
    if not path and scheme in _DEFAULT_PORTS:
        path = "/"
    query = "&".join(pair for pair in parts.query.split("&") if pair and not _is_tracking(pair))
    return urlunsplit((scheme, netloc, path, query, ""))


def content_hash(*parts: str) -> str:
    """Return the SHA-256 hex digest of the parts; unambiguous (``("ab", "c") != ("a", "bc")``)."""
    digest = hashlib.sha256()
    for part in parts:
        encoded = part.encode("utf-8", "surrogatepass")
        digest.update(f"{len(encoded)}:".encode("ascii"))
        digest.update(encoded)
    return digest.hexdigest()


def _bounded(prefix: str, value: str) -> str:
    identity = f"{prefix}:{value}"
    if len(identity) <= MAX_IDENTITY_LENGTH:
        return identity
    return f"{prefix}:sha256:{content_hash(value)}"


def _squash(text: str) -> str:
    return " ".join(text.split())


def entry_identity(guid: str | None, link: str | None, title: str, summary: str) -> str:
    """Return the identity of a feed entry, at most 255 characters long.

    ``guid:<guid>`` when the entry has a guid, else ``link:<canonical link>`` when it has a link,
    else ``hash:<sha256 of title and summary>`` (whitespace-normalised). A guid or link too long
    for the column is replaced by ``<prefix>:sha256:<hex digest>``.
    """
    if guid is not None and guid.strip():
        return _bounded("guid", guid.strip())
    if link is not None and link.strip():
        return _bounded("link", canonical_link(link))
    return f"hash:{content_hash(_squash(title), _squash(summary))}"


def reused_guid_identity(guid: str, link: str) -> str:
    """The identity of a story published under a guid that the feed already used for another story.

    ``reguid:<sha256 of guid and canonical link>``: stable across fetches (the same guid and link
    always give the same identity) and distinct from every ``guid:``, ``link:`` or ``hash:`` identity.
    """
    return f"reguid:{content_hash(guid.strip(), canonical_link(link))}"
