"""What is said about an unexpected error: the command without its arguments, database errors without
their statement's values, and at most one admin notice per kind of error per ten minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError, OperationalError

from bot.core.interface.error_report import NoticeThrottle, admin_notice, command_name, describe, statement_kind, where

NOW = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)


def test_the_command_is_named_without_its_arguments() -> None:
    assert command_name("/add@fake_alert_bot Saraqib, سراقب") == "add"
    assert command_name("/Start") == "start"
    assert command_name("hello /add") is None and command_name(None) is None and command_name("/") is None
    assert where("message", "add") == "/add (message)" and where("job", None) == "job"


def test_a_database_error_is_described_by_class_and_statement_kind_only() -> None:
    locked = OperationalError("UPDATE keywords SET label=? WHERE chat_id=?", ("Zarzour", 8675309),
                              Exception("database is locked"))
    duplicate = IntegrityError("INSERT INTO keywords (chat_id, key) VALUES ($1, $2)", (8675309, "zarzour"),
                               Exception("Key (chat_id, key)=(8675309, zarzour) already exists"))
    for error, kind in ((locked, "UPDATE"), (duplicate, "INSERT")):
        text = describe(error)
        assert kind in text and type(error).__name__ in text
        assert "8675309" not in text and "arzour" not in text
    assert statement_kind(None) == "SQL" and statement_kind("  select 1") == "SELECT"


def test_other_errors_keep_a_short_first_line() -> None:
    assert describe(RuntimeError("boom\nsecond line")) == "RuntimeError: boom"
    assert describe(KeyError()) == "KeyError"
    assert len(describe(ValueError("x" * 1000))) < 230


def test_admins_hear_of_each_kind_at_most_once_per_quiet_period() -> None:
    throttle = NoticeThrottle(quiet=timedelta(minutes=10))
    assert throttle.admit("OperationalError", NOW) == 0
    assert throttle.admit("OperationalError", NOW + timedelta(minutes=3)) is None
    assert throttle.admit("KeyError", NOW + timedelta(minutes=3)) == 0  # another kind is news
    assert throttle.admit("OperationalError", NOW + timedelta(minutes=9, seconds=59)) is None
    assert throttle.admit("OperationalError", NOW + timedelta(minutes=10)) == 2
    assert "2 more" in admin_notice("OperationalError", "/add (message)", 2)
    assert "more" not in admin_notice("KeyError", "job", 0)
