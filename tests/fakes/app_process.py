"""Run the real application (``python -m bot run``) as a subprocess for end-to-end tests.

Output (stdout and stderr) goes to one log file that survives restarts (each start appends a marker);
``wait_until`` polls a condition and fails fast, with the log tail, if the process has died.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

from bot.settings import SETTINGS

#: environment variables the application reads (every row of the settings table); never inherited from the
#: developer's shell
APP_VARIABLES = tuple(setting.env for setting in SETTINGS)
_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
REPO_ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    """One instance of the bot, restartable on the same settings (and so the same database)."""

    def __init__(self, settings: Mapping[str, str], workdir: Path, log_path: Path, *, role: str = "all") -> None:
        """``settings``: the app's environment variables; ``workdir``: its current directory; ``role``: the
        ``--role`` it runs in (``all``, ``updates`` or ``worker``)."""
        self.settings = dict(settings)
        self.role = role
        self.workdir = workdir
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        self._log: IO[bytes] | None = None

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in APP_VARIABLES and k not in _PROXY_VARIABLES}
        env["ALLOW_PRIVATE_FEED_ADDRESSES"] = "true"  # the fake feeds live on 127.0.0.1
        env.update(self.settings)
        env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
        return env

    async def start(self) -> None:
        if self.alive:
            raise RuntimeError("already running")
        self.starts += 1
        self._log = self.log_path.open("ab")
        self._log.write(f"\n===== start #{self.starts} at {time.strftime('%H:%M:%S')} =====\n".encode())
        self._log.flush()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--role",
            self.role,
            cwd=self.workdir,
            env=self.environment(),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=self._log,
            stderr=asyncio.subprocess.STDOUT,
        )

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def stop(self, timeout: float = 15.0) -> int | None:  # noqa: ASYNC109
        """SIGTERM (as Heroku does), then SIGKILL after ``timeout``; returns the exit code, or None if
        it had to be killed."""
        process = self.process
        if process is None:
            return None
        code: int | None = process.returncode
        if code is None:
            process.send_signal(signal.SIGTERM)
            try:
                code = await asyncio.wait_for(process.wait(), timeout)
            except TimeoutError:
                process.kill()
                await process.wait()
                code = None
        if self._log is not None:
            self._log.close()
            self._log = None
        return code

    async def kill(self) -> None:
        """SIGKILL at once (a crash: no shutdown code runs), and reap the process."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 80) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    async def wait_until(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:  # noqa: ASYNC109
        """Poll ``predicate`` every 50 ms until it holds; AssertionError on timeout or process exit."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if not self.alive:
                code = self.process.returncode if self.process else None
                raise AssertionError(
                    f"the bot exited (code {code}) while waiting for: {what}\n--- log tail ---\n{self.log_tail()}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for: {what}")
            await asyncio.sleep(0.05)
