"""Source: saved text dumps of Hugging Face Daily Papers listing pages.

The format, as a browser's "save as text" writes it:

    new / Get trending papers in your email inbox! / Subscribe / [Daily Papers] /
    byAK and the research community      <- page chrome, one line each
    Mar 18                               <- optional date line, never a year
    Title                                <- then paragraphs: title, abstract,
                                            title, abstract, ... separated by
    Abstract ...                            blank lines

Line ends may be CRLF, lines may carry trailing spaces, the file may start with a
UTF-8 byte order mark. A paragraph that cannot be placed as a title or an abstract
is reported as a `Problem` with its line number; nothing is dropped silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..errors import DigestError
from ..records import TITLE_MAX_CHARS, DateHint, Entry, ParsedListing, Problem, too_long
from .formats import Format

NAME = "text"

# Page chrome, compared after folding case and spaces ("byAK" and "by AK" both occur).
CHROME = {
    "new",
    "get trending papers in your email inbox!",
    "subscribe",
    "daily papers",
    "byak and the research community",
}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_DATE_LINE = re.compile(r"^(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:,?\s+(?P<year>\d{4}))?$")
# An abstract is prose: long, or at least two sentences. A title is neither.
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z0-9(]")
ABSTRACT_MIN_CHARS = 300


@dataclass(frozen=True)
class Paragraph:
    line: int  # 1-based line number of its first line
    text: str


def parse(data: bytes, origin: str) -> ParsedListing:
    """Parse a text dump; errors name `origin`."""
    _refuse_json_scalar(data, origin)
    lines = decode(data, origin).split("\n")
    start, hint = _skip_header(lines)
    paragraphs = _paragraphs(lines, start)
    entries, problems = _pair(paragraphs)
    return ParsedListing(NAME, tuple(entries), hint, tuple(problems))


def decode(data: bytes, origin: str) -> str:
    """Bytes to text with `\\n` line ends and no trailing spaces."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DigestError.at(
            origin,
            f"not valid UTF-8 (byte 0x{data[err.start]:02x}); save the listing as UTF-8 and ingest it again",
            line,
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _fold(line: str) -> str:
    return " ".join(line.split()).casefold().replace("by ak ", "byak ")


def _skip_header(lines: list[str]) -> tuple[int, DateHint | None]:
    """Index of the first line after the chrome and date line, and the date line if any."""
    i = 0
    while i < len(lines) and (not lines[i].strip() or _fold(lines[i]) in CHROME):
        i += 1
    hint = _date_hint(lines[i].strip(), i + 1) if i < len(lines) else None
    if hint:
        i += 1
    return i, hint


def _date_hint(text: str, line: int) -> DateHint | None:
    match = _DATE_LINE.match(text)
    if not match or match["month"].lower() not in MONTHS:
        return None
    month, day = MONTHS[match["month"].lower()], int(match["day"])
    year = int(match["year"]) if match["year"] else None
    if not 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
        return None
    return DateHint(month, day, year, line, text)


def _paragraphs(lines: list[str], start: int) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if line.strip():
            if not current:
                first = number
            current.append(line.strip())
        elif current:
            paragraphs.append(Paragraph(first, " ".join(current)))
            current = []
    if current:
        paragraphs.append(Paragraph(first, " ".join(current)))
    return paragraphs


def is_abstract(text: str) -> bool:
    return len(text) >= ABSTRACT_MIN_CHARS or (len(text) > 120 and _SENTENCE_BREAK.search(text) is not None)


def _is_title_like(text: str) -> bool:
    """One phrase: no sentence inside it, no full stop at its end."""
    return not text.endswith(".") and _SENTENCE_BREAK.search(text) is None


def _pair(paragraphs: list[Paragraph]) -> tuple[list[Entry], list[Problem]]:
    """Pair titles with the abstracts that follow them.

    A short paragraph after a title is taken as a short abstract only when it ends
    like a sentence and the paragraph after it is not an abstract itself; otherwise
    the title is reported as having no abstract and the short paragraph is looked at
    again as a title.
    """
    entries: list[Entry] = []
    problems: list[Problem] = []
    i = 0
    while i < len(paragraphs):
        para = paragraphs[i]
        following = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
        after = paragraphs[i + 2] if i + 2 < len(paragraphs) else None
        if len(para.text) > TITLE_MAX_CHARS and _is_title_like(para.text) and following and is_abstract(following.text):
            problems.append(Problem(para.line, f"{too_long(para.text)}: {_quote(para.text)}"))
            i += 2  # its abstract goes with it
        elif is_abstract(para.text) or len(para.text) > TITLE_MAX_CHARS:
            problems.append(Problem(para.line, f"text with no title before it: {_quote(para.text)}"))
            i += 1
        elif following is None:
            problems.append(Problem(para.line, f"title with no abstract after it (or text after the last paper): {_quote(para.text)}"))
            i += 1
        elif is_abstract(following.text) or (following.text.endswith(".") and not (after and is_abstract(after.text))):
            entries.append(Entry(title=para.text, abstract=following.text, rank=len(entries) + 1, line=para.line))
            i += 2
        else:
            problems.append(Problem(para.line, f"title with no abstract after it: {_quote(para.text)}"))
            i += 1
    return entries, problems


def _quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _refuse_json_scalar(data: bytes, origin: str) -> None:
    """A file that is one JSON value but not an array or object (a number, a string,
    null) is a saved answer of the wrong kind, not a text dump without a date line."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head[:1] or head[:1] not in b'-0123456789"tfn' or len(data) > 1024 * 1024:
        return
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return
    kinds = {bool: "a JSON true or false", int: "a JSON number", float: "a JSON number", str: "a JSON string", type(None): "JSON null"}
    raise DigestError.at(
        origin, f"the file is {kinds[type(value)]}, not a listing: expected a saved Daily Papers page or text, or the API's list of papers"
    )


FORMAT = Format(
    NAME,
    extension="txt",
    richness=1,
    multi_day=False,
    label="saved text dumps",
    described="plain text",
    recognises=lambda head: True,  # anything the others do not recognise
    parse=parse,
)
