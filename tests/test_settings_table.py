"""The settings table in bot/settings.py is the one source: Settings, .env.example and the README agree with it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from bot.settings import SETTINGS, Setting, Settings, env_example

REPO = Path(__file__).resolve().parents[1]
NOT_FROM_ENVIRONMENT = {"default_language"}
VARIABLE = re.compile(r"`([A-Z][A-Z0-9_]+)`")


def readme_settings_rows() -> dict[str, str]:
    """Variable -> default cell, for every table row of the README whose first cell names variables."""
    rows: dict[str, str] = {}
    for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 3:
            continue
        names = VARIABLE.findall(cells[0])
        if names and VARIABLE.sub("", cells[0]).strip(" ,") == "":
            rows.update(dict.fromkeys(names, cells[1]))
    return rows


def test_every_settings_field_comes_from_one_row_of_the_table() -> None:
    fields = {field.name for field in dataclasses.fields(Settings)} - NOT_FROM_ENVIRONMENT
    assert sorted(s.field for s in SETTINGS) == sorted(fields)
    assert len({s.env for s in SETTINGS}) == len(SETTINGS)


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.env)
def test_each_default_parses_and_is_what_an_unset_variable_gives(setting: Setting) -> None:
    unset = Settings.from_env({}, require_token=False)
    assert getattr(unset, setting.field) == setting.parse(setting.env, setting.default)
    assert setting.meaning and "\n" not in setting.meaning


def test_env_example_is_the_table() -> None:
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    assert text == env_example(), (
        ".env.example is out of step with SETTINGS: regenerate it with\n"
        "python -c \"from bot.settings import env_example; print(env_example(), end='')\" > .env.example")
    assigned = re.findall(r"^([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE)
    assert assigned == [s.env for s in SETTINGS]


def test_env_example_parses_to_the_defaults() -> None:
    pairs = dict(re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", env_example(), flags=re.MULTILINE))
    assert Settings.from_env(pairs, require_token=False) == Settings.from_env({}, require_token=False)


def test_the_readme_tables_list_every_setting_and_no_other() -> None:
    rows = readme_settings_rows()
    assert sorted(rows) == sorted(s.env for s in SETTINGS)


@pytest.mark.parametrize("setting", [s for s in SETTINGS if s.default], ids=lambda s: s.env)
def test_the_readme_gives_each_default(setting: Setting) -> None:
    assert f"`{setting.default}`" in readme_settings_rows()[setting.env]
