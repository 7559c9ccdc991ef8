"""The browser tests' set-up installs Debian's Chromium when it is missing, tries apt once per
run, and says clearly why when apt fails; it installs Thai fonts the same way, but quietly does
without them when it cannot (no browser is started here)."""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from pasar.testing import browser
from pasar.testing.browser import (
    APT_STEPS,
    THAI_FONTS,
    ChromiumMissing,
    apt_steps,
    ensure_chromium,
    ensure_thai_fonts,
    thai_font_families,
)


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


class FakeFonts:
    """fontconfig's ``fc-list`` and apt-get for the Thai fonts: records apt's commands and, when
    apt works, "installs" Loma so that fontconfig lists it from then on."""

    def __init__(self, *, installed: bool, apt_works: bool) -> None:
        self.installed, self.apt_works = installed, apt_works
        self.commands: list[tuple[str, ...]] = []

    def __call__(self, command: list[str], **_options: Any) -> subprocess.CompletedProcess[str]:
        if command[0] == "fc-list":
            return subprocess.CompletedProcess(command, 0, "Loma\nTlwg Typo,Tlwg Typo\n" if self.installed else "", "")
        self.commands.append(tuple(command))
        if self.apt_works and command[1] == "install":
            self.installed = True
            return subprocess.CompletedProcess(command, 0, "fonts-thai-tlwg installed", "")
        return subprocess.CompletedProcess(command, 100, "", "E: Unable to locate package fonts-thai-tlwg")


@pytest.fixture()
def fonts(monkeypatch: pytest.MonkeyPatch) -> Any:
    def make(*, installed: bool = False, apt_works: bool = True, root: bool = True) -> FakeFonts:
        fake = FakeFonts(installed=installed, apt_works=apt_works)
        monkeypatch.setattr(browser.shutil, "which", lambda name: f"/usr/bin/{name}")
        monkeypatch.setattr(browser.subprocess, "run", fake)
        monkeypatch.setattr(browser.os, "geteuid", lambda: 0 if root else 1000)
        monkeypatch.setattr(browser, "_thai_fonts_tried", [])
        return fake

    return make


def test_installed_thai_fonts_are_listed_and_apt_is_not_run(fonts: Any) -> None:
    fake = fonts(installed=True)
    assert ensure_thai_fonts() is True
    assert thai_font_families() == {"Loma", "Tlwg Typo"}
    assert fake.commands == []


def test_missing_thai_fonts_are_installed_with_apt_as_root(fonts: Any) -> None:
    fake = fonts()
    assert ensure_thai_fonts() is True
    assert fake.commands == [apt_steps(THAI_FONTS)[0]] == [("apt-get", "install", "-y", "fonts-thai-tlwg")]


def test_without_root_missing_thai_fonts_are_quietly_left_missing(fonts: Any) -> None:
    fake = fonts(root=False)
    assert ensure_thai_fonts() is False
    assert fake.commands == []


def test_apt_failing_for_thai_fonts_is_quiet_and_not_tried_again(fonts: Any) -> None:
    fake = fonts(apt_works=False)
    assert ensure_thai_fonts() is False
    assert fake.commands == list(apt_steps(THAI_FONTS))
    assert ensure_thai_fonts() is False
    assert fake.commands == list(apt_steps(THAI_FONTS))  # once per run, like Chromium's
