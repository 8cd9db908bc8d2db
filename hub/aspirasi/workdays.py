"""Working days for the aspiration deadlines (SP4N-LAPOR!: 3 working days to verify and forward,
5 more to an answer). Saturdays, Sundays and the admin-kept holidays (national holidays and
cuti bersama) are not working days. Days are the hub's local calendar days. No database, no Flask.
"""
from datetime import date, timedelta

WEEKEND = (5, 6)  # Saturday, Sunday
VERIFY_DAYS = 3  # to verify and forward, from the day it was submitted
ANSWER_DAYS = 5  # more, to an answer


def is_working_day(day: date, holidays=frozenset()) -> bool:
    return day.weekday() not in WEEKEND and day not in holidays


def add_working_days(start: date, count: int, holidays=frozenset()) -> date:
    """The day `count` working days after `start` (the start day itself not counted): something
    submitted on a Friday with 3 working days is due on Wednesday."""
    if count < 0:
        raise ValueError("count must be 0 or more")
    day = start
    while count:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count -= 1
    return day


def working_days_between(start: date, end: date, holidays=frozenset()) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count


def due_dates(submitted: date, forwarded: date | None = None, holidays=frozenset()):
    """(verify-and-forward due day, answer due day). The answer is due 5 working days after it
    was forwarded, or after the forwarding deadline while it has not been."""
    forward_due = add_working_days(submitted, VERIFY_DAYS, holidays)
    answer_due = add_working_days(forwarded or forward_due, ANSWER_DAYS, holidays)
    return forward_due, answer_due
