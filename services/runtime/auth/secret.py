"""The embedded run's signing secret: made on first start, kept in a file only its owner can read."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def ensure_secret(path: Path) -> str:
    """Read the secret at `path`, creating it (0600, 256 random bits) when there is none yet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_secret(path)
    with os.fdopen(fd, "w") as file:
        file.write(secrets.token_urlsafe(32))
    return read_secret(path)


def read_secret(path: Path) -> str:
    return path.read_text().strip()


def write_private(path: Path, text: str) -> None:
    """Write a file readable by its owner only (0600), replacing any earlier one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(text)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
