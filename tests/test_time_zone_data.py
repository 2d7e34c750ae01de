"""Issue 11.4: time zones work on a machine or container without a system time-zone database, because
the `tzdata` package is a dependency. A child process whose PYTHONTZPATH is an empty folder (so zoneinfo
finds no system zones) stores `/timezone europe/istanbul` as Europe/Istanbul and reads it back as
UTC+3, not as UTC."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SCRIPT = """
import asyncio, sys, zoneinfo
from datetime import UTC, datetime
from bot.adapters.storage.database import Storage
from bot.core.models import Concept
from bot.services.delivery_modes import time_zone
from bot.services.preferences import PreferenceService

async def main(path: str) -> None:
    store = await Storage.connect(f"sqlite:///{path}")
    now = datetime.now(UTC)
    idlib = Concept(key="idlib", label="Idlib", terms={"en": ("Idlib",)}, builtin=True)
    await store.subscribe(7, "en", [idlib], now)
    name = await PreferenceService(store, lambda: now).set_time_zone(7, "europe/istanbul")
    stored = (await store.get_subscriber(7)).time_zone
    offset = time_zone(stored).utcoffset(datetime(2026, 1, 15, 12, 0))
    await store.close()
    print(len(zoneinfo.TZPATH), name, stored, offset)

asyncio.run(main(sys.argv[1]))
"""


def test_timezone_is_accepted_without_a_system_time_zone_database(tmp_path: Path) -> None:
    empty = tmp_path / "no-zoneinfo"
    empty.mkdir()
    env = {**os.environ, "PYTHONTZPATH": str(empty), "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "tz.sqlite3")], env=env, cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=120, check=False)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "Europe/Istanbul", "Europe/Istanbul", "3:00:00"]
