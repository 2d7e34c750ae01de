"""Feeds: entry identity, novelty, the check schedule and feed health decisions."""
