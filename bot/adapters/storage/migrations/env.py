"""Alembic environment: runs migrations on the connection handed over in `config.attributes`.

There is no offline (SQL script) mode and no URL in configuration: the bot's storage opens the
database itself and passes the live connection, see `bot.adapters.storage.migrations.upgrade_to_head`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from bot.adapters.storage.schema import metadata


def run_migrations(connection: Connection) -> None:
    """Configure the migration context on `connection` and run the pending revisions."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if context.is_offline_mode() or not isinstance(_connection, Connection):
    raise RuntimeError(
        "bot migrations run online only, on a connection passed as config.attributes['connection']"
    )
run_migrations(_connection)
