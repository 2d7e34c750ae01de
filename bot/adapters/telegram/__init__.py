"""Telegram: sending alerts and admin notices through the python-telegram-bot Bot."""
