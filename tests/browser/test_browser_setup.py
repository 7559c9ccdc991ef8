"""The browser tests' set-up installs Debian's Chromium when it is missing, tries apt once per
run, and says clearly why when apt fails (no browser is started here)."""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from pasar.testing import browser
from pasar.testing.browser import APT_STEPS, ChromiumMissing, ensure_chromium


class FakeApt:
    """apt-get that records its commands, fails with a message, or "installs" the binary."""

    def __init__(self, executable: Path, *, works: bool) -> None:
        self.executable, self.works = executable, works
        self.commands: list[tuple[str, ...]] = []

    def __call__(self, command: list[str], **_options: Any) -> subprocess.CompletedProcess[str]:
        self.commands.append(tuple(command))
        if self.works and command[1] == "install":
            self.executable.write_text("#!/bin/sh\n")
            return subprocess.CompletedProcess(command, 0, "chromium installed", "")
        return subprocess.CompletedProcess(command, 100, "", "E: Unable to locate package chromium")


@pytest.fixture()
def apt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    def make(works: bool) -> FakeApt:
        fake = FakeApt(tmp_path / "chromium", works=works)
        monkeypatch.setattr(browser.shutil, "which", lambda name: f"/usr/bin/{name}")
        monkeypatch.setattr(browser.subprocess, "run", fake)
        monkeypatch.setattr(browser, "_install_failures", {})
        return fake

    return make


def test_a_present_chromium_is_used_without_apt(apt: Any) -> None:
    fake = apt(works=False)
    fake.executable.write_text("#!/bin/sh\n")
    assert ensure_chromium(fake.executable) == fake.executable
    assert fake.commands == []


def test_a_missing_chromium_is_installed_with_apt(apt: Any) -> None:
    fake = apt(works=True)
    assert ensure_chromium(fake.executable) == fake.executable
    assert fake.commands == [APT_STEPS[0]]


def test_apt_failing_is_a_clear_error_raised_again_without_a_second_attempt(apt: Any) -> None:
    fake = apt(works=False)
    with pytest.raises(ChromiumMissing, match="(?s)apt-get install -y chromium.*Unable to locate package chromium") as first:
        ensure_chromium(fake.executable)
    assert fake.commands == list(APT_STEPS)  # the package lists were refreshed once in between
    with pytest.raises(ChromiumMissing) as again:
        ensure_chromium(fake.executable)
    assert again.value is first.value and fake.commands == list(APT_STEPS)
