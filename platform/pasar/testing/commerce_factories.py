"""Factory fixtures for the commerce domain's tests (and for tests of domains built on it)."""
from __future__ import annotations
