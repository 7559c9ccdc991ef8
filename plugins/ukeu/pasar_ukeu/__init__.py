"""Pasar region plugin for the United Kingdom and six EU markets (DE, FR, ES, IT, IE, NL).

The hooks live in ``pasar_ukeu.plugin``; the regional facts they answer with live in
``pasar_ukeu.data``, each carrying the ``shared/REGIONS.md`` source IDs it comes from.
"""
from __future__ import annotations

__version__ = "0.1.0"
