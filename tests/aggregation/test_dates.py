"""Dates as Indonesian feeds and others write them."""
from datetime import datetime, timezone

import pytest

from hub.aggregation.dates import parse_date


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize("text,expected", [
    ("Senin, 12 Mei 2014 13:21 WIB", utc(2014, 5, 12, 6, 21)),
    ("Selasa, 5 Agt 2014 09:00:00 +0700", utc(2014, 8, 5, 2, 0)),
    ("Sel, 05 Ags 2014 09.00 WIB", utc(2014, 8, 5, 2, 0)),
    ("Jum'at, 3 Oktober 2025 pukul 10.15 WIT", utc(2025, 10, 3, 1, 15)),
    ("12 Nop 2024 08:00 WITA", utc(2024, 11, 12, 0, 0)),
    ("Minggu, 17 Agustus 2025 08:00", utc(2025, 8, 17, 1, 0)),  # no zone: WIB
    ("1 Desember 2025", utc(2025, 11, 30, 17, 0)),
    ("Mon, 06 Sep 2010 00:01:00 +0000", utc(2010, 9, 6, 0, 1)),
    ("Mon, 06 Sep 2010 00:01:00 GMT", utc(2010, 9, 6, 0, 1)),
    ("2019-07-17T03:10:16Z", utc(2019, 7, 17, 3, 10, 16)),
    ("2019-07-17T10:10:16+07:00", utc(2019, 7, 17, 3, 10, 16)),
    ("Thu, 15 Feb 2018 4:00 PM EST", utc(2018, 2, 15, 21, 0)),
    ("2014-05-12", utc(2014, 5, 12)),
])
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "kemarin", "32 Mei 2014", "12 Bulan 2014", None, "x" * 200])
def test_unreadable_dates_are_none(text):
    assert parse_date(text) is None
