"""Export of any list to .xlsx: the rows the user sees, with the filters applied."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    """Excel keeps numbers, dates and text; everything else is shown as text."""
    if value is None or isinstance(value, (int, float, Decimal, date, str, bool)):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return str(value)


def xlsx_response(
    *, filename: str, sheet: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    """An .xlsx download: a header row, then `rows` (a queryset is read lazily)."""
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(title=str(sheet)[:31])
    worksheet.append([str(title) for title in headers])
    for row in rows:
        worksheet.append([_cell(value) for value in row])
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
