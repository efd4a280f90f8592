"""Safe, streaming XML reading for the GPX and TCX adapters.

Safety model: the bytes are decoded to text here (BOM, then the XML declaration's encoding),
and the *decoded text* is refused if it holds a document type declaration or an entity
declaration. Without a DTD there are no entity declarations, so no entity expansion ("billion
laughs"), no external entities and no external DTD fetch; an undeclared ``&name;`` is a
well-formedness error. The text, not the bytes, is fed to the parser (``XMLPullParser.feed(str)``
forces UTF-8), so a declared encoding cannot hide a ``<!DOCTYPE`` from the check. This is
stricter than ``defusedxml``'s ``forbid_dtd=True`` and keeps the C parser (defusedxml falls back
to the pure-Python one, several times slower).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from cramplog.errors import InputError

__all__ = [
    "Element",
    "ParseError",
    "declared_encoding",
    "decode_xml",
    "iter_elements",
    "local_name",
]

_CHUNK = 1 << 16
_DECL = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_HTML = re.compile(r"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)


def _one_line(text: str, limit: int = 60) -> str:
    """A short printable excerpt of ``text`` for an error message."""
    s = " ".join(text[:limit].split())
    return s.encode("ascii", "backslashreplace").decode("ascii")


def declared_encoding(data: bytes) -> str:
    """The encoding named by the BOM or the XML declaration (UTF-8 when neither says)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if data.startswith(b"<\0?\0"):
        return "utf-16-le"
    if data.startswith(b"\0<\0?"):
        return "utf-16-be"
    m = _DECL.match(data[:200].lstrip())
    if m:
        return m.group(1).decode("ascii").lower()
    return "utf-8"


def decode_xml(data: bytes, name: str, kind: str) -> str:
    """Decode an XML file to text and refuse what is unsafe or plainly not XML.

    ``kind`` names the expected format in messages ("GPX", "TCX"). Raises ``InputError`` with
    one clear line for: undecodable bytes, binary data, HTML pages, text that is not XML, and
    any DTD or entity declaration.
    """
    encoding = declared_encoding(data)
    if encoding in ("utf-16", "utf-16le", "utf-16be", "utf-16-le", "utf-16-be", "utf16"):
        encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else encoding
    elif encoding in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    if not encoding.startswith("utf-16") and b"\0" in data[:4096]:
        raise InputError(f"{name}: not a {kind} file (binary data)")
    try:
        text = data.decode(encoding)
    except (LookupError, TypeError):
        raise InputError(
            f"{name}: unknown text encoding {encoding!r}; not a readable {kind} file"
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not a {kind} file (bytes are not valid {encoding.removesuffix('-sig')} "
            f"text at offset {exc.start})"
        ) from None
    head = text.lstrip(" \t\r\n\ufeff")
    if not head.startswith("<"):
        raise InputError(f"{name}: not a {kind} file (it starts with {_one_line(head)!r})")
    if _HTML.search(head[:2048]):
        raise InputError(
            f"{name}: an HTML page, not a {kind} file (a failed download or a login page?)"
        )
    markers = (("<!DOCTYPE", "a document type declaration (DTD)"),
               ("<!ENTITY", "an entity declaration"))  # fmt: skip
    for marker, what in markers if "!" in text else ():  # one quick pass for the usual file
        if marker in text:
            raise InputError(
                f"{name}: refused: the {kind} file holds {what}; activity files never need one "
                "and it can be used for entity-expansion or external-entity attacks"
            )
    return head


def local_name(tag: str) -> str:
    """``{namespace}hr`` and ``hr`` -> ``hr`` (prefixes are gone once the parser has run)."""
    return tag.rpartition("}")[2]


def iter_elements(text: str) -> Iterator[Element]:
    """Yield each element when its end tag is read, streaming through ``text`` in chunks.

    The caller may ``clear()`` an element it has finished with, to keep memory flat. A
    well-formedness error raises ``ParseError`` after the elements before it were yielded, so a
    truncated file keeps what was complete.
    """
    parser: XMLPullParser[Element] = XMLPullParser(events=("end",))
    for start in range(0, len(text), _CHUNK):
        parser.feed(text[start : start + _CHUNK])
        for _event, elem in parser.read_events():  # type: ignore[misc]
            yield elem  # type: ignore[misc]
    parser.close()
    for _event, elem in parser.read_events():  # type: ignore[misc]
        yield elem  # type: ignore[misc]
