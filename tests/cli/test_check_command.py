"""`python -m bot check` against the fake Bot API, fake feeds and a fake LibreTranslate on 127.0.0.1."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from cli_support import BOT_TOKEN
from fakes import FakeBotApi, FakeFeedServer, FakeLibreTranslate, FeedItem

from bot.cli.check import run_check
from bot.settings import Settings

REPO = Path(__file__).resolve().parents[2]
ARABIC = [FeedItem("قصف على مدينة إدلب صباح اليوم", "https://a.example/1", "قالت مصادر محلية إن القصف استهدف الأحياء"),
          FeedItem("اشتباكات على الطريق الدولي قرب سراقب", "https://a.example/2", "تواصلت الاشتباكات لليوم الثاني")]


def write_feeds(tmp_path: Path, server: FakeFeedServer) -> Path:
    feeds = tmp_path / "feeds.toml"
    entries = [("Arabic desk", "ar.xml", "ar"), ("Mislabelled", "mislabelled.xml", "en"),
               ("Broken", "broken.xml", "tr")]
    feeds.write_text("".join(f'[[feeds]]\nname = "{name}"\nurl = "{server.url(path)}"\nlang = "{lang}"\n\n'
                             for name, path, lang in entries), encoding="utf-8")
    return feeds


def settings_for(tmp_path: Path, api: str, feeds: Path, **extra: str) -> Settings:
    env = {"TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_API_URL": api, "FEEDS_FILE": str(feeds),
           "DATABASE_URL": f"sqlite:///{tmp_path}/bot.sqlite3", "ALLOW_PRIVATE_FEED_ADDRESSES": "true", **extra}
    return Settings.from_env(env)


async def test_check_prints_the_feed_table_and_probes_the_chain(
        tmp_path: Path, bot_api: FakeBotApi, feed_server: FakeFeedServer, libre: FakeLibreTranslate) -> None:
    feed_server.set_items("ar.xml", ARABIC, lang="ar")
    feed_server.set_items("mislabelled.xml", ARABIC, lang="ar")
    feed_server.set_failure("broken.xml", 500)
    settings = settings_for(tmp_path, bot_api.url, write_feeds(tmp_path, feed_server),
                            TRANSLATOR="libre,none", LIBRETRANSLATE_URL=libre.url)
    out = io.StringIO()

    status = await run_check(settings, out)

    lines = out.getvalue().splitlines()
    assert status == 0, out.getvalue()
    assert "telegram: ok, @idlib_alerts_bot (id 123456)" in lines
    assert [call for call, _ in bot_api.calls] == ["getMe"]
    header = next(i for i, line in enumerate(lines) if line.startswith("feed "))
    assert lines[header].split() == ["feed", "status", "entries", "declared", "detected", "time"]
    arabic, mislabelled, broken = lines[header + 1: header + 4]
    assert arabic.split()[:6] == ["Arabic", "desk", "ok", "2", "ar", "ar"]
    assert mislabelled.split()[:5] == ["Mislabelled", "ok", "2", "en", "ar"] and "(differs)" in mislabelled
    assert broken.startswith("Broken") and "500" in broken and " tr " in broken
    assert "feeds: 2 of 3 answered" in lines
    assert any(line.startswith("translator libre: ok") and "[ar] Shelling near Idlib" in line for line in lines)
    assert libre.texts_translated("ar") == ["Shelling near Idlib on the M4 highway"]
    assert lines[-1] == "result: ready"


async def test_a_token_telegram_refuses_fails_the_check_without_printing_it(
        tmp_path: Path, feed_server: FakeFeedServer) -> None:
    feed_server.set_items("ar.xml", ARABIC, lang="ar")
    async with FakeBotApi("999:another-token") as api:
        settings = settings_for(tmp_path, api.url, write_feeds(tmp_path, feed_server), TRANSLATOR="none")
        out = io.StringIO()
        status = await run_check(settings, out)
    assert status == 1
    assert any(line.startswith("telegram: FAILED getMe") for line in out.getvalue().splitlines())
    assert BOT_TOKEN not in out.getvalue()
    assert out.getvalue().splitlines()[-1].startswith("result: NOT ready")


async def test_no_feed_answering_fails_the_check(tmp_path: Path, bot_api: FakeBotApi,
                                                  feed_server: FakeFeedServer) -> None:
    for path in ("ar.xml", "mislabelled.xml", "broken.xml"):
        feed_server.set_failure(path, 404)
    settings = settings_for(tmp_path, bot_api.url, write_feeds(tmp_path, feed_server), TRANSLATOR="none")
    out = io.StringIO()
    assert await run_check(settings, out) == 1
    assert "feeds: 0 of 3 answered" in out.getvalue()
    assert "translators: none configured" in out.getvalue()


def run_cli(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(REPO), **env}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=clean, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_offline_check_from_an_empty_folder_finds_the_shipped_config(tmp_path: Path) -> None:
    result = run_cli(["check", "--offline"], tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    assert result.returncode == 0, result.stderr
    feeds_line = next(line for line in result.stdout.splitlines() if line.startswith("feeds: "))
    shown = Path(feeds_line.removeprefix("feeds: ").rsplit(" (", 1)[0])
    assert shown.is_absolute() and shown.samefile(REPO / "config" / "feeds.toml")
    assert "database: ok" in result.stdout


def test_bad_settings_stop_check_with_the_same_one_line_error_as_run(tmp_path: Path) -> None:
    check = run_cli(["check"], tmp_path, TELEGRAM_BOT_TOKEN=BOT_TOKEN, SCAN_INTERVAL_SECONDS="often")
    run = run_cli(["run"], tmp_path, TELEGRAM_BOT_TOKEN=BOT_TOKEN, SCAN_INTERVAL_SECONDS="often")
    assert check.returncode == run.returncode == 2
    assert check.stderr == run.stderr and len(check.stderr.strip().splitlines()) == 1
    missing = run_cli(["check"], tmp_path, TELEGRAM_BOT_TOKEN=BOT_TOKEN, FEEDS_FILE=str(tmp_path / "nope.toml"))
    assert missing.returncode == 2 and "nope.toml" in missing.stderr and len(missing.stderr.splitlines()) == 1


def test_help_lists_every_verb(tmp_path: Path) -> None:
    result = run_cli(["--help"], tmp_path)
    assert result.returncode == 0
    for verb in ("run", "eval", "eval-stories", "check", "health"):
        assert f"\n    {verb} " in result.stdout or f"\n  {verb} " in result.stdout, verb
