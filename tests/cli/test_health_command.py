"""`python -m bot health`: 0 while this host's bot beats and finishes its jobs, 1 once it stops, saying why."""

from __future__ import annotations

import asyncio
import io
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cli_support import BOT_TOKEN
from fakes import BotProcess, FakeBotApi, FakeFeedServer, FeedItem

from bot.adapters.storage.database import Storage
from bot.cli.health import run_health
from bot.settings import Settings

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
BEAT = timedelta(seconds=10)


async def test_health_reads_this_hosts_process_from_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/bot.sqlite3"
    storage = await Storage.connect(url)
    await storage.heartbeat("all", NOW, 3 * BEAT, last_scan_at=NOW, last_drain_at=NOW)
    await storage.close()
    settings = Settings.from_env({"DATABASE_URL": url}, require_token=False)

    out = io.StringIO()
    assert await run_health(settings, out, lambda: NOW + BEAT) == 0
    assert out.getvalue().startswith(f"healthy: process {storage.claimant} (role all), heartbeat 10s ago")

    out = io.StringIO()
    assert await run_health(settings, out, lambda: NOW + 4 * BEAT) == 1
    assert out.getvalue() == "unhealthy: last heartbeat 40s ago (limit 30s)\n"

    out = io.StringIO()
    assert await run_health(settings, out, lambda: NOW, host="elsewhere") == 1
    assert "no process of this host" in out.getvalue()


async def test_health_of_a_database_the_bot_never_opened_is_1(tmp_path: Path) -> None:
    settings = Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3"}, require_token=False)
    out = io.StringIO()
    assert await run_health(settings, out, lambda: NOW) == 1
    assert out.getvalue().startswith("unhealthy: cannot read the workers table")


def health(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(REPO), **env}
    return subprocess.run([sys.executable, "-m", "bot", "health"], cwd=REPO, env=clean, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


async def test_health_flips_to_1_when_the_running_bots_heartbeat_stops(
        tmp_path: Path, bot_api: FakeBotApi, feed_server: FakeFeedServer) -> None:
    feed_server.set_items("news.xml", [FeedItem("Weather in Aleppo", "https://n.example/1")], lang="en")
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nname = "News"\nurl = "{feed_server.url("news.xml")}"\nlang = "en"\n')
    env = {"TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_API_URL": bot_api.url, "FEEDS_FILE": str(feeds),
           "DATABASE_URL": f"sqlite:///{tmp_path}/bot.sqlite3", "TRANSLATOR": "none",
           "SCAN_INTERVAL_SECONDS": "1", "SEND_INTERVAL_SECONDS": "0.5", "SEND_LEASE_SECONDS": "2",
           "WORKER_HEARTBEAT_SECONDS": "0.5"}
    app = BotProcess(env, REPO, tmp_path / "bot.log")
    await app.start()
    try:
        verdict = await asyncio.to_thread(health, env)
        for _ in range(60):  # until the bot has migrated and a heartbeat records a finished scan and drain
            if verdict.returncode == 0 and "last scan" in verdict.stdout and "last drain" in verdict.stdout:
                break
            await asyncio.sleep(0.5)
            verdict = await asyncio.to_thread(health, env)
        assert verdict.returncode == 0, verdict.stdout + app.log_tail()
        assert verdict.stdout.startswith(f"healthy: process {socket.gethostname()[:60]}-")
        assert "last scan" in verdict.stdout and "last drain" in verdict.stdout, verdict.stdout
    finally:
        await app.kill()  # a crash: no shutdown code runs, the heartbeat just stops

    await asyncio.sleep(1.6)  # three heartbeat intervals
    verdict = await asyncio.to_thread(health, env)
    assert verdict.returncode == 1
    assert verdict.stdout.startswith("unhealthy: last heartbeat")
