"""Readers for the files runners export: one adapter per format, one entry point
(``read.parse_bytes``).

Every adapter takes the file's bytes and its name and returns a ``ParseResult``; it raises
``InputError`` when nothing in the file can be read. Adapters never touch the disk or the
store, so the same code reads files in folders, in ``.gz`` and inside ``.zip`` archives.

May import: model, errors, thresholds. Nothing above: readers know no store, features or
rules.
"""
