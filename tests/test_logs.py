"""LOG_FORMAT=json: one JSON object per line, with the token redacted from message and traceback alike."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from bot.logs import configure_logging

TOKEN = "123456:ABC-secret"


@pytest.fixture
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("restore_root_logger")
def test_json_lines_carry_level_logger_message_and_traceback_without_the_token(
        capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", TOKEN, "json")
    log = logging.getLogger("bot.test")
    log.info("calling https://api.telegram.org/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"failed for {TOKEN}")
    except RuntimeError:
        log.exception("send failed")
    log.debug("not shown at INFO")

    lines = capsys.readouterr().err.splitlines()
    first, second = (json.loads(line) for line in lines)
    assert len(lines) == 2
    assert (first["level"], first["logger"]) == ("INFO", "bot.test")
    assert first["message"] == "calling https://api.telegram.org/bot<token>/getMe"
    assert first["time"].endswith("+00:00")
    assert second["message"] == "send failed" and "RuntimeError: failed for <token>" in second["exception"]
    assert TOKEN not in "\n".join(lines)


@pytest.mark.usefixtures("restore_root_logger")
def test_text_stays_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", TOKEN)
    logging.getLogger("bot.test").warning("plain")
    line = capsys.readouterr().err.strip()
    assert line.endswith("WARNING bot.test: plain") and not line.startswith("{")
