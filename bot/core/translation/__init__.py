"""Translation decisions: when a provider in the chain is skipped (pure, no I/O, time passed in)."""
