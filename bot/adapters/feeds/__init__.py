"""Feeds: fetching (address guard, byte caps, headers) and parsing (bytes, charsets, feedparser)."""
