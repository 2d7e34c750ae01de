"""Use cases (scan a cycle, drain the outbox, manage subscriptions) written against small ports."""
