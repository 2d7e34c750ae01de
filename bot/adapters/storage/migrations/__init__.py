"""Alembic migrations for the bot's database, run programmatically (there is no alembic.ini).

`upgrade_to_head` runs inside `AsyncConnection.run_sync`, on the connection and transaction the
caller opened: the connection reaches `env.py` through `Config.attributes["connection"]`.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text

SCRIPT_LOCATION = Path(__file__).resolve().parent

_PG_MIGRATION_LOCK = 0x1D11B_4A4
"""Advisory lock key so several processes starting together migrate one after another."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at this package, optionally bound to `connection`."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_to_head(connection: Connection) -> None:
    """Bring the database on `connection` to the newest revision (a no-op when it is current)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
    command.upgrade(alembic_config(connection), "head")


def current_revision(connection: Connection) -> str | None:
    """The revision the database on `connection` is at, or None before the first migration."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()
