"""One error family. The CLI turns every CramplogError into one stderr line and exit code 2."""

from __future__ import annotations


class CramplogError(Exception):
    """Base of every error cramplog expects and reports without a traceback."""

    exit_code = 2


class InputError(CramplogError):
    """A file, folder, or value the user gave cannot be read or is not valid."""


class UsageError(CramplogError):
    """The command was called in a way that cannot work (missing athlete, bad option value)."""


class StoreError(CramplogError):
    """The local store cannot be opened or is from a newer cramplog."""
