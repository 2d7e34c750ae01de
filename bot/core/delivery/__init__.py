"""Delivery: pacing, batching, quiet hours and digests."""
