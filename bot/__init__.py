"""Multilingual news-alert bot for Idlib and the M4 highway in northwest Syria."""
