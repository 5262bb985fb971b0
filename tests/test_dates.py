import datetime as dt

import pytest

from generator.data.dates import DateFormatError, PartialDate, parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2023, 9, 13), PartialDate(2023, 9, 13)),
        ("2023-09", PartialDate(2023, 9)),
        ("2023-09-13", PartialDate(2023, 9, 13)),
        (2023, PartialDate(2023)),
        ("2023", PartialDate(2023)),
    ],
)
def test_parse_accepts_what_yaml_makes_of_dates(value: object, expected: PartialDate) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2023-13", "month 13 does not exist"),
        ("2023-02-30", "2023-02 has no day 30"),
        ("13/09/2023", "expected a date written YYYY-MM-DD, YYYY-MM or YYYY"),
        (True, "expected a date written YYYY-MM-DD, YYYY-MM or YYYY"),
        (20230, "expected a date written YYYY-MM-DD, YYYY-MM or YYYY"),
        (dt.datetime(2023, 1, 1, 10), "a date has no time of day: write 2023-01-01"),
    ],
)
def test_parse_rejects_with_reason(value: object, message: str) -> None:
    with pytest.raises(DateFormatError, match=f"^{message}$"):
        parse_date(value)


def test_display_at_own_precision() -> None:
    assert PartialDate(2023, 9).display() == "September 2023"
    assert PartialDate(2023, 9, 1).display() == "1 September 2023"
    assert PartialDate(2023).display(circa=True) == "c. 2023"
    assert PartialDate(2023, 9).iso() == "2023-09"


def test_partial_dates_sort_at_start_of_period() -> None:
    dates = [
        PartialDate(2023, 9, 13),
        PartialDate(2023, 9),
        PartialDate(2024),
        PartialDate(2023),
        PartialDate(2023, 1, 1),
    ]
    ordered = sorted(dates, key=PartialDate.sort_key)
    assert ordered == [
        PartialDate(2023),
        PartialDate(2023, 1, 1),
        PartialDate(2023, 9),
        PartialDate(2023, 9, 13),
        PartialDate(2024),
    ]


def test_a_timestamp_is_the_start_of_the_period_in_utc() -> None:
    assert parse_date("2023-09").timestamp() == "2023-09-01T00:00:00Z"
    assert parse_date(2024).timestamp(milliseconds=True) == "2024-01-01T00:00:00.000Z"
    assert parse_date("2023-09-13").timestamp() == "2023-09-13T00:00:00Z"
