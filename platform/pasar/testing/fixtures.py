"""Shared pytest fixtures for the kernel's and the plugins' tests (loaded with ``-p``)."""
from __future__ import annotations
