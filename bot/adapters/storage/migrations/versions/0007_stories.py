"""Stories (issue 14): reports of one event grouped across feeds and languages; alerts that grow in place.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:00:00

`stories`: one row per event (time span of its reports, clustering features as JSON, sites and
languages as JSON lists), indexed by `first_published` so the scan reads only the stories still in the
window. `entries.story_id` and `outbox.story_id`: the story an entry joined (NULL for entries that matched
no keyword and for rows older than this revision). `story_messages`: per chat and story, the Telegram
message that carries the alert, its text and the entries it lists, so later reports edit it (or reply to
it once it can no longer be edited). `subscribers.corroborated_only`: alert only once a second
independent source reports the story. Plain ADD COLUMN on both backends (see 0002).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("features", sa.Text(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.Column("languages", sa.Text(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
    )
    op.create_index("ix_stories_first_published", "stories", ["first_published"])
    op.add_column("entries", sa.Column("story_id", sa.Integer(), nullable=True))
    op.create_index("ix_entries_story_id", "entries", ["story_id"])
    op.add_column("outbox", sa.Column("story_id", sa.Integer(), nullable=True))
    op.create_table(
        "story_messages",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("base_text", sa.Text(), nullable=False),
        sa.Column("entry_ids", sa.Text(), nullable=False),
        sa.Column("editable", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], name="fk_story_messages_story_id_stories",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("chat_id", "story_id", name="pk_story_messages"),
    )
    op.add_column("subscribers", sa.Column("corroborated_only", sa.Boolean(), nullable=False,
                                           server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("subscribers", "corroborated_only")
    op.drop_table("story_messages")
    op.drop_column("outbox", "story_id")
    op.drop_index("ix_entries_story_id", table_name="entries")
    op.drop_column("entries", "story_id")
    op.drop_index("ix_stories_first_published", table_name="stories")
    op.drop_table("stories")
