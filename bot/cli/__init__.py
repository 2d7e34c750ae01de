"""Operator commands of `python -m bot` besides `run` and `eval`: `check` (before starting) and `health`."""
