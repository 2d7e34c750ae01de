"""Thin python-telegram-bot handlers and jobs: parse the update, call a service, reply."""
