"""Decoding a response body under a byte cap that also holds for compressed bodies.

httpx decompresses each network chunk in one piece, so a 64 KB gzip chunk of zeros becomes 64 MB in
memory before any cap can look at it. `CappedDecoder` is fed the raw (still compressed) chunks and
inflates them with zlib's `max_length`, so no more than the cap (plus one byte) is ever produced.
Supports identity, gzip and deflate: the codings the fetcher advertises.
"""

from __future__ import annotations

import zlib

from bot.errors import FetchError

__all__ = ["CappedDecoder"]

_GZIP = {"gzip", "x-gzip"}
_GZIP_MAGIC = (b"\x1f\x8b", b"\x1f")  # a member's first bytes (the second may be in the next chunk)


def _codings(content_encoding: str) -> list[str]:
    return [c for c in (part.strip().lower() for part in content_encoding.split(",")) if c and c != "identity"]


class CappedDecoder:
    """Accumulates a body, decompressing it if needed; `FetchError` once it exceeds `max_bytes`."""

    def __init__(self, content_encoding: str, max_bytes: int) -> None:
        codings = _codings(content_encoding)
        if len(codings) > 1 or (codings and codings[0] not in _GZIP | {"deflate"}):
            raise FetchError(f"unsupported Content-Encoding {content_encoding!r}")
        self.max_bytes = max_bytes
        self._coding = codings[0] if codings else None
        self._inflater = self._new_inflater(raw=False)
        self._started = False
        self._chunks: list[bytes] = []
        self._size = 0

    def _new_inflater(self, *, raw: bool) -> zlib._Decompress | None:
        if self._coding is None:
            return None
        if self._coding in _GZIP:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)

    def _append(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self.max_bytes:
            raise FetchError(f"body exceeds the {self.max_bytes}-byte cap")
        if data:
            self._chunks.append(data)

    def feed(self, chunk: bytes) -> None:
        """Add the next raw chunk from the network."""
        if self._inflater is None:
            self._append(chunk)
            return
        first = not self._started
        self._started = True
        try:
            self._inflate(chunk)
        except zlib.error as exc:
            if not (first and self._coding == "deflate"):
                raise FetchError(f"could not decompress the {self._coding} body: {exc}") from exc
            # Many servers send raw deflate data without the zlib header that HTTP asks for.
            self._inflater = self._new_inflater(raw=True)
            self._chunks, self._size = [], 0
            try:
                self._inflate(chunk)
            except zlib.error as again:
                raise FetchError(f"could not decompress the deflate body: {again}") from again

    def _inflate(self, data: bytes) -> None:
        inflater = self._inflater
        assert inflater is not None
        while data:
            self._append(inflater.decompress(data, self.max_bytes - self._size + 1))
            data = inflater.unconsumed_tail
            if not data and inflater.eof and self._coding in _GZIP and inflater.unused_data[:2] in _GZIP_MAGIC:
                # Another gzip member follows (`cat a.gz b.gz`, some servers' streaming): inflate it too.
                # Trailing bytes that do not start a member (padding, junk) are ignored, as before.
                data = inflater.unused_data
                inflater = self._inflater = self._new_inflater(raw=False)
                assert inflater is not None

    def finish(self) -> bytes:
        """The whole decoded body (a truncated compressed stream yields what could be decoded)."""
        if self._inflater is not None:
            try:
                self._append(self._inflater.flush())
            except zlib.error as exc:
                raise FetchError(f"could not decompress the {self._coding} body: {exc}") from exc
        return b"".join(self._chunks)
