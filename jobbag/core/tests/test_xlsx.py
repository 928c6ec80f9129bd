from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from jobbag.core.xlsx import XLSX, xlsx_response


def test_it_writes_the_header_and_rows_keeping_numbers_and_dates():
    shanghai = ZoneInfo("Asia/Shanghai")
    response = xlsx_response(
        filename="clients.xlsx",
        sheet="客户",
        headers=["名称", "收入", "成立", "更新"],
        rows=[
            [
                "海尔集团",
                Decimal("1234.50"),
                date(1984, 12, 26),
                datetime(2026, 1, 2, 3, 4, tzinfo=shanghai),
            ],
            ["耐克", None, None, None],
        ],
    )

    assert response["Content-Type"] == XLSX
    assert 'filename="clients.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert sheet.title == "客户"
    assert rows[0] == ("名称", "收入", "成立", "更新")
    assert rows[1][0] == "海尔集团" and rows[1][1] == 1234.5
    assert rows[1][2].date() == date(1984, 12, 26)
    assert rows[1][3] == datetime(2026, 1, 2, 3, 4)
    assert rows[2] == ("耐克", None, None, None)
