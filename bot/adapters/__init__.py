"""Adapters: the I/O edges of the bot (fetching, parsing, storage, language, translation, Telegram)."""
