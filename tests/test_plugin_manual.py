"""The plugin author's manual (``docs/plugins.md``) and the contract (``pasar.hookspecs``) stay
in sync: every hook has a reference section with the right firstresult marker and signature,
no section names a hook that does not exist, and every hookspec documents when it is called and
what it returns."""
from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

import pluggy
import pytest

from pasar import hookspecs
from pasar.config import PROJECT_ROOT

MANUAL = PROJECT_ROOT / "docs" / "plugins.md"
HEADING = re.compile(r"^### (pasar_\w+)\s*$", re.MULTILINE)
MARKERS = {True: "*firstresult*", False: "*all results collected*"}


def hookspec_functions() -> dict[str, Callable[..., Any]]:
    """Every function ``pasar.hookspecs`` declares as a hook specification."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    return {
        name: function
        for name, function in vars(hookspecs).items()
        if name.startswith("pasar_") and pm.parse_hookspec_opts(hookspecs, name) is not None
    }


def is_firstresult(name: str) -> bool:
    options = pluggy.PluginManager(hookspecs.PROJECT).parse_hookspec_opts(hookspecs, name)
    assert options is not None
    return bool(options.get("firstresult"))


def manual_sections() -> dict[str, str]:
    """Hook name → the text of its ``### name`` section (up to the next heading)."""
    text = MANUAL.read_text(encoding="utf-8")
    matches = list(HEADING.finditer(text))
    sections: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        assert match.group(1) not in sections, f"{match.group(1)} has two sections"
        sections[match.group(1)] = text[match.end() : end]
    return sections


def signature_line(name: str, function: Callable[..., Any]) -> str:
    """``def name(args) -> result`` as the manual writes it (annotations without quotes)."""
    return f"def {name}{inspect.signature(function)}".replace("'", "")


HOOKS = sorted(hookspec_functions())


def test_the_contract_has_hooks_to_document() -> None:
    assert {"pasar_region_info", "pasar_tax_quote", "pasar_register_carriers"} <= set(HOOKS)


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_has_a_section_with_its_firstresult_marker(name: str) -> None:
    sections = manual_sections()
    assert name in sections, f"docs/plugins.md has no '### {name}' section"
    first_line = next(line.strip() for line in sections[name].splitlines() if line.strip())
    assert first_line == MARKERS[is_firstresult(name)], (
        f"### {name} must be followed by {MARKERS[is_firstresult(name)]}, found {first_line!r}"
    )


@pytest.mark.parametrize("name", HOOKS)
def test_every_section_shows_the_hooks_signature(name: str) -> None:
    expected = signature_line(name, hookspec_functions()[name])
    assert expected in manual_sections().get(name, ""), f"### {name} lacks `{expected}`"


@pytest.mark.parametrize("name", HOOKS)
def test_every_section_says_when_and_what_it_returns(name: str) -> None:
    section = manual_sections().get(name, "")
    assert "**When:**" in section and "**Returns:**" in section


def test_no_section_names_a_hook_that_does_not_exist() -> None:
    unknown = sorted(set(manual_sections()) - set(HOOKS))
    assert unknown == [], f"docs/plugins.md documents hooks that do not exist: {unknown}"


@pytest.mark.parametrize("name", HOOKS)
def test_every_hookspec_docstring_says_when_and_what_it_returns(name: str) -> None:
    doc = inspect.getdoc(hookspec_functions()[name]) or ""
    assert "When" in doc, f"{name}'s docstring does not say when it is called"
    assert "Return" in doc, f"{name}'s docstring does not say what it returns"

