"""Which folders to import: a team folder expands to its athletes' subfolders, and a roster
file lists folders one per line."""

from __future__ import annotations

from pathlib import Path

from cramplog.errors import InputError


def athlete_dirs(path: Path) -> list[Path]:
    """A team folder (its subfolders each hold an ``athlete.toml``) expands to those
    subfolders; any other path is one athlete."""
    if path.is_dir() and not (path / "athlete.toml").is_file():
        subs = sorted(p for p in path.iterdir() if p.is_dir() and (p / "athlete.toml").is_file())
        if subs:
            return subs
    return [path]


def read_roster(path: Path) -> list[Path]:
    """One folder per line; blank lines and ``#`` comments ignored; relative to the roster."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read roster {path}: {exc.strerror or exc}") from None
    out = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            p = Path(entry).expanduser()
            out.append(p if p.is_absolute() else path.parent / p)
    if not out:
        raise InputError(f"roster {path} lists no folders")
    return out
