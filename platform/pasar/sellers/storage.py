"""Where sellers' KYC documents are kept, and which files are accepted at all.

A document's type is decided by its first bytes, never by the file name or the client's
``Content-Type``: both are whatever the uploader typed, and a text or HTML file renamed
``licence.pdf`` must not reach an operator's browser as a PDF. Files are stored under
``<uploads>/<tenant code>/<seller id>/<sha256>`` — content-addressed, so the same file uploaded
twice is written once, and no client-chosen name ever becomes part of a path.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath

from pasar.config import Settings, var_dir

#: Largest document accepted: scans and phone photos of a licence fit comfortably.
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

#: Magic bytes → the content type stored and served back.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
ALLOWED_TYPES: tuple[str, ...] = tuple(kind for _, kind in _SIGNATURES)


def sniff_content_type(data: bytes) -> str | None:
    """The content type the file's own signature declares, or None when it is none we accept."""
    return next((kind for magic, kind in _SIGNATURES if data.startswith(magic)), None)


def clean_filename(name: str) -> str:
    """The last path component of a client's file name, for display only (never a path)."""
    base = PurePosixPath(name.replace("\\", "/")).name.strip()
    return base[:255] or "document"


def uploads_root(settings: Settings) -> Path:
    """The uploads directory: ``settings.extra["uploads_dir"]`` if set, else ``<var>/uploads``
    (``PASAR_VAR_DIR`` moves it, which is how tests keep files out of the checkout)."""
    configured = settings.extra.get("uploads_dir")
    return Path(configured) if configured else var_dir() / "uploads"


class DocumentStore:
    """Files on a local disk under one root; the database keeps only the relative path."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @staticmethod
    def relative_path(tenant_code: str, seller_id: int, sha256: str) -> str:
        return f"{tenant_code}/{seller_id}/{sha256}"

    def save(self, relative: str, data: bytes) -> None:
        """Write ``data`` atomically (temp file + rename); an existing file has this very
        content already, because its name is the content's hash."""
        target = self.path(relative)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def path(self, relative: str) -> Path:
        """The absolute path of a stored file; refuses anything that would leave the root."""
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root.resolve()):
            raise ValueError(f"document path {relative!r} leaves the uploads directory")
        return target
