"""The pure domain: models, normalisation, matching, formatting and scheduling decisions.

Standard library only; no I/O and no clock calls (time is always passed in).
"""
