"""Pasar region plugin for the United States (distribution ``pasar-us``, entry point ``us``).

The hooks live in ``pasar_us.plugin``; the facts they answer with live in ``pasar_us.data``,
each carrying the IDs of ``shared/REGIONS.md`` it comes from.
"""
from __future__ import annotations

__version__ = "0.1.0"
