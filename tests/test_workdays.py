"""Working-day deadlines of aspirations (issue 12): across a weekend, a holiday and the year's end."""
from datetime import date

import pytest

from hub.aspirasi.workdays import add_working_days, due_dates, is_working_day, working_days_between

# 2026: 25 December (Natal) is a Friday, 1 January 2027 (Tahun Baru) a Friday; 24 December a cuti bersama
HOLIDAYS = frozenset({date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)})


@pytest.mark.parametrize("start, count, due", [
    (date(2026, 12, 1), 3, date(2026, 12, 4)),    # Tuesday -> Friday, no weekend in between
    (date(2026, 12, 4), 3, date(2026, 12, 9)),    # Friday -> Wednesday: Saturday and Sunday skipped
    (date(2026, 12, 5), 1, date(2026, 12, 7)),    # submitted on a Saturday: Monday is the first day
    (date(2026, 12, 22), 3, date(2026, 12, 29)),  # Tue -> 23, (24, 25 holidays), (26, 27 weekend), 28, 29
    (date(2026, 12, 30), 3, date(2027, 1, 5)),    # the year's end: 31, (1 Jan holiday, weekend), 4, 5
    (date(2026, 12, 1), 0, date(2026, 12, 1)),
])
def test_add_working_days(start, count, due):
    assert add_working_days(start, count, HOLIDAYS) == due
    assert working_days_between(start, due, HOLIDAYS) == count


def test_the_two_deadlines():
    # submitted Wednesday 23 December: forward by 29 December; answer 5 working days later
    forward_due, answer_due = due_dates(date(2026, 12, 23), holidays=HOLIDAYS)
    assert forward_due == date(2026, 12, 30)  # 28, 29, 30 (24, 25 holidays; 26, 27 weekend)
    assert answer_due == date(2027, 1, 7)  # 31, 4, 5, 6, 7 (1 January a holiday; 2, 3 weekend)
    # forwarded early, on 28 December: the answer is due 5 working days from then
    assert due_dates(date(2026, 12, 23), date(2026, 12, 28), HOLIDAYS)[1] == date(2027, 1, 5)


def test_weekends_and_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 12, 5))  # Saturday
    assert not is_working_day(date(2026, 12, 25), HOLIDAYS)
    assert is_working_day(date(2026, 12, 28), HOLIDAYS)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 12, 1), -1)
