"""Coverage-guided fuzzing of the FIT readers with atheris (libFuzzer for Python).

The contract under test: ``parse_bytes(name, data)`` returns a ParseResult or raises
InputError -- anything else is a crash and libFuzzer saves the input as ``crash-<sha1>``.
With ``FUZZ_FIT_STRICT_FAST=1`` the fast numpy decoder is held to its own contract too:
``decode_fast`` returns FitMessages or raises FastPathUnsupported (``decode_fit`` hides its
other exceptions behind the fitparse fallback, so they cost speed, not files).

Run briefly:   python fuzz/fuzz_fit.py -max_total_time=60 fuzz/corpus
Seeds: any FIT files (fuzz/README.md); the corpus folder fills with interesting inputs.
"""

from __future__ import annotations

import os
import sys

import atheris

with atheris.instrument_imports(include=["cramplog"]):
    from cramplog.errors import InputError
    from cramplog.ingest.fit_fast import FastPathUnsupported, decode_fast
    from cramplog.ingest.read import parse_bytes
    from cramplog.model import ParseResult

STRICT_FAST = os.environ.get("FUZZ_FIT_STRICT_FAST") == "1"
NAMES = ("fuzz.fit", "fuzz.fit.gz")


def test_one_input(data: bytes) -> None:
    # The first byte picks the entry point; the rest is the file.
    if not data:
        return
    name = NAMES[data[0] & 1]
    body = data[1:]
    try:
        result = parse_bytes(name, body)
    except InputError:
        pass
    else:
        if not isinstance(result, ParseResult) or not result.activities:
            raise AssertionError("parse_bytes returned no activities without an InputError")
        for act in result.activities:
            if act.start.tzinfo is None:
                raise AssertionError("naive start time")
    if STRICT_FAST and name == "fuzz.fit":
        try:
            decode_fast(body)
        except FastPathUnsupported:
            pass


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
