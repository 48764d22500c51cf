"""A small XLSX writer that streams: each row turns into zipped bytes as it comes.

Memory stays flat however many rows a sheet has, and the first bytes leave at
once (a temp file would wait for the last row). Text goes in as inline strings
and there is no way to write a formula, so a cell typed ``=HYPERLINK(...)`` or
``+1`` stays text when the book is opened (formula injection); such text is also written
``'=HYPERLINK(...)``, so it stays text when a cell is edited or the sheet saved as CSV.
Days and instants are real date cells (local time) shown dd/mm/yyyy; the header rows stay
frozen on screen.
"""

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from xml.sax.saxutils import escape

from services.calendar import LOCAL_TZ
from vietnam.text import formula_safe

CHUNK = 64 * 1024
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: Styles of cellXfs in ``xl/styles.xml``: plain, bold, a day, a day and time.
BOLD, DAY, DAY_TIME = 1, 2, 3
_EPOCH = datetime(1899, 12, 30)  # day 0 of a spreadsheet's serial dates


@dataclass
class Sheet:
    name: str
    header: tuple[str, ...]
    rows: Iterable[Iterable]
    widths: tuple[int, ...] = ()
    title: str | None = None  # a first line above the header


class _Sink(io.RawIOBase):
    """An unseekable stream that keeps what is written until it is taken."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def take(self) -> bytes:
        data, self.parts, self.size = b"".join(self.parts), [], 0
        return data


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def serial(value: date) -> float:
    """VALUE as a spreadsheet serial date (days since 30/12/1899, local time of day)."""
    if isinstance(value, datetime):
        local = value.astimezone(LOCAL_TZ).replace(tzinfo=None) if value.tzinfo else value
        return round((local - _EPOCH) / timedelta(days=1), 8)
    return float((value - _EPOCH.date()).days)


def _cell(ref: str, value, style: int = 0) -> str:
    if isinstance(value, date) and style != BOLD:
        style = DAY_TIME if isinstance(value, datetime) else DAY
        return f'<c r="{ref}" s="{style}"><v>{serial(value)}</v></c>'
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = "✓" if value else ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")
    elif isinstance(value, date):
        value = value.strftime("%d/%m/%Y")
    text = escape(formula_safe(_ILLEGAL.sub("", str(value))))  # text stays text once edited
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _row(number: int, values, style: int = 0) -> str:
    cells = "".join(
        _cell(f"{column_letter(i)}{number}", v, style) for i, v in enumerate(values, start=1)
    )
    return f'<row r="{number}">{cells}</row>'


def _frozen_header(rows: int) -> str:
    """The sheet view that keeps the first ROWS rows (title and header) on screen."""
    below = f"A{rows + 1}"
    return (
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{rows}" topLeftCell="{below}" activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="{below}" sqref="{below}"/>'
        "</sheetView></sheetViews>"
    )


def _sheet_parts(sheet: Sheet) -> Iterator[str]:
    yield f"{_HEAD}<worksheet {_NS}>"
    yield _frozen_header(2 if sheet.title else 1)
    if sheet.widths:
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(sheet.widths, start=1)
        )
        yield f"<cols>{cols}</cols>"
    yield "<sheetData>"
    number = 0
    if sheet.title:
        number += 1
        yield _row(number, (sheet.title,), style=BOLD)
    number += 1
    yield _row(number, sheet.header, style=BOLD)
    for values in sheet.rows:
        number += 1
        yield _row(number, values)
    yield "</sheetData></worksheet>"


def _safe_name(name: str, taken: set) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Sheet"
    while name in taken:
        name = name[:28] + f"_{len(taken)}"
    taken.add(name)
    return name


def stream_workbook(sheets: Iterable[Sheet]) -> Iterator[bytes]:
    """The XLSX file of SHEETS, in chunks of about CHUNK bytes."""
    sink = _Sink()
    names: list[str] = []
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as book:
        for number, sheet in enumerate(sheets, start=1):
            names.append(_safe_name(sheet.name, set(names)))
            with book.open(f"xl/worksheets/sheet{number}.xml", "w") as part:
                for text in _sheet_parts(sheet):
                    part.write(text.encode("utf-8"))
                    if sink.size >= CHUNK:
                        yield sink.take()
        for path, text in _package(names).items():
            book.writestr(path, text)
    yield sink.take()


def _package(names: list[str]) -> dict[str, str]:
    """The workbook's fixed parts: content types, relations, sheet list, four styles."""
    sheets = "".join(
        f'<sheet name="{escape(n, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, n in enumerate(names, start=1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    pkg = "http://schemas.openxmlformats.org/package/2006"
    return {
        "[Content_Types].xml": f'{_HEAD}<Types xmlns="{pkg}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>",
        "_rels/.rels": f'{_HEAD}<Relationships xmlns="{pkg}/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'{_HEAD}<workbook {_NS} xmlns:r="{_REL}"><sheets>{sheets}'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{_HEAD}<Relationships xmlns="{pkg}/relationships">'
        f'{sheet_rels}<Relationship Id="rId{len(names) + 1}" Type="{_REL}/styles" '
        'Target="styles.xml"/></Relationships>',
        "xl/styles.xml": f"{_HEAD}<styleSheet {_NS}>"
        '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
        '<numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
        'xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" '
        'applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" '
        'xfId="0" builtinId="0"/></cellStyles></styleSheet>',
    }
