"""Pasar region plugin for Southeast Asia: ID, MY, TH, VN, PH and SG.

The hooks live in :mod:`pasar_sea.plugin`; the regional facts they answer with live in
:mod:`pasar_sea.data`, each tagged with the ``shared/REGIONS.md`` source IDs it comes from.
"""
from __future__ import annotations

__version__ = "0.1.0"
