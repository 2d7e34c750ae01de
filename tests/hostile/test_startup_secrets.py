"""A token Telegram rejects never reaches stderr (issue 12, item 1): `python -m bot run` against the fake Bot
API answering 401 (wrong token) or 404 (wrong TELEGRAM_API_URL path) prints one line and exits non-zero."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parents[1]
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

from fakes import FakeBotApi  # noqa: E402
from fakes.app_process import APP_VARIABLES, REPO_ROOT  # noqa: E402

from bot.__main__ import startup_failure  # noqa: E402

SECRET = "987654:SECRET-token-never-printed"


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi("123456:the-accepted-token") as api:
        yield api


async def run_bot(api_url: str, tmp_path: Path) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in APP_VARIABLES}
    env.update(TELEGRAM_BOT_TOKEN=SECRET, TELEGRAM_API_URL=api_url, DATABASE_URL=f"sqlite:///{tmp_path}/bot.db",
               NO_PROXY="127.0.0.1", no_proxy="127.0.0.1", PYTHONPATH=str(REPO_ROOT))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=REPO_ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, (stdout + stderr).decode()


@pytest.mark.parametrize("path", ["", "/wrong-prefix"], ids=["401-wrong-token", "404-wrong-api-path"])
async def test_a_rejected_token_is_never_printed(path: str, bot_api: FakeBotApi, tmp_path: Path) -> None:
    code, output = await run_bot(bot_api.url + path, tmp_path)

    assert code != 0
    assert SECRET not in output and "SECRET-token" not in output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "token" in errors[0] and "TELEGRAM_API_URL" in errors[0]
    assert output.splitlines()[-1] == errors[0]  # PTB's own (redacted) log comes before it


def test_other_startup_failures_name_the_problem_without_the_token() -> None:
    from telegram.error import NetworkError

    line = startup_failure(NetworkError(f"connect to https://api.example/bot{SECRET}/getMe failed"), SECRET)
    assert SECRET not in line and "<token>" in line and "TELEGRAM_API_URL" in line
    assert "\n" not in startup_failure(RuntimeError("two\nlines"), SECRET)
