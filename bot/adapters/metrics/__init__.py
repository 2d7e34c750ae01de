"""Exporting the bot's figures (bot/core/metrics.py) to a monitoring system."""
