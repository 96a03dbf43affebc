"""CPR numbers in free text are found by the rule in the security promises and masked.

Every call passes ``today`` explicitly so the results do not depend on the calendar.
"""

import datetime
import random

import pytest

from udsathed.core.cpr import find_cpr_numbers, is_valid_cpr, mask_cpr

TODAY = datetime.date(2026, 11, 23)


# (text, masked text)
MUST_MATCH = [
    ("Hans har cpr 010203-1234 og bor her.", "Hans har cpr 010203-XXXX og bor her."),
    ("010203-1234", "010203-XXXX"),
    ("0102031234", "010203-XXXX"),
    ("cpr: 010203 1234", "cpr: 010203-XXXX"),
    ("cpr: 010203\u00a01234", "cpr: 010203-XXXX"),
    ("010203\u20101234", "010203-XXXX"),  # hyphen
    ("010203\u20111234", "010203-XXXX"),  # non-breaking hyphen
    ("010203\u20121234", "010203-XXXX"),  # figure dash
    ("010203\u20131234", "010203-XXXX"),  # en dash
    ("010203\u20141234", "010203-XXXX"),  # em dash
    ("010203\u20151234", "010203-XXXX"),  # horizontal bar
    ("010203\u22121234", "010203-XXXX"),  # minus sign
    ("010203\ufe581234", "010203-XXXX"),  # small em dash
    ("010203\ufe631234", "010203-XXXX"),  # small hyphen-minus
    ("010203\uff0d1234", "010203-XXXX"),  # fullwidth hyphen-minus
    ("(010203-1234).", "(010203-XXXX)."),
    ("x0102031234", "x010203-XXXX"),
    ("cpr:010203-1234,", "cpr:010203-XXXX,"),
    ("Født 1999: 311299-3999", "Født 1999: 311299-XXXX"),
    # 7th digit 4: YY 26 -> 2026; today itself is not in the future.
    ("010126-4000", "010126-XXXX"),
    ("231126-4000", "231126-XXXX"),
    # 7th digit 4 and YY 37 -> 1937.
    ("010137-4000", "010137-XXXX"),
    # 7th digit 9 and YY 37 -> 1937; YY 10 -> 2010.
    ("010137-9000", "010137-XXXX"),
    ("010110-9000", "010110-XXXX"),
    # 7th digit 5-8 and YY 58 -> 1858; YY 20 -> 2020.
    ("010158-5000", "010158-XXXX"),
    ("010158-8999", "010158-XXXX"),
    ("010120-6000", "010120-XXXX"),
    # 29 February: 2000 (7th digit 4) is a leap year.
    ("290200-4123", "290200-XXXX"),
    # 7th digit 5 and YY 00 -> 2000, a leap year.
    ("290200-5123", "290200-XXXX"),
    # 1904 is a leap year (7th digit 0-3 -> 19YY).
    ("290204-1234", "290204-XXXX"),
    # No modulus-11 check: 010203-1235 fails it and is still a CPR number.
    ("010203-1235", "010203-XXXX"),
    # A phone number next to a CPR number does not hide it.
    ("Ring 72105000 eller 010203-1234", "Ring 72105000 eller 010203-XXXX"),
]

MUST_NOT_MATCH = [
    "Ring 72105000",
    "+45 72 10 50 00",
    "+4572105000",
    "7210 5000",
    "01020312345",  # 11-digit run
    "90102031234",  # digit before
    "01020312349",  # digit after
    "010203123456789",
    "01.02.2003",
    "010203",
    "01-02-2003",
    "1.234.567,00 kr",
    "kr. 10.000",
    "Beløb: 1234567890",  # day 12, month 34
    "0123456789",
    "010203  1234",  # two spaces
    "010203 \u00a01234",  # space and no-break space
    "010203--1234",
    "010203 - 1234",
    "010203_1234",
    "010203.1234",
    "010203/1234",
    "010203\t1234",
    "010203\n1234",
    "320199-1234",  # no 32nd
    "311199-1234",  # no 31 November
    "001299-1234",  # no day 0
    "011399-1234",  # no month 13
    "010099-1234",  # no month 0
    "290201-1234",  # 1901 is not a leap year
    "290200-1234",  # 7th digit 0 -> 1900, not a leap year
    "241126-4000",  # tomorrow
    "010136-4000",  # 7th digit 4, YY 36 -> 2036, future
    "010136-9000",  # 7th digit 9, YY 36 -> 2036, future
    "010157-5000",  # 7th digit 5, YY 57 -> 2057, future
    "010127-4000",  # 7th digit 4, YY 27 -> 2027, future
    "\uff10\uff11\uff10\uff12\uff10\uff13-\uff11\uff12\uff13\uff14",  # fullwidth digits
    "\u0660\u0661\u0660\u0662\u0660\u0663-\u0661\u0662\u0663\u0664",  # Arabic-Indic digits
    "",
]


@pytest.mark.parametrize(("text", "masked"), MUST_MATCH)
def test_cpr_numbers_are_found_and_masked(text, masked):
    assert len(find_cpr_numbers(text, today=TODAY)) == 1
    assert mask_cpr(text, today=TODAY) == (masked, 1)


@pytest.mark.parametrize("text", MUST_NOT_MATCH)
def test_other_digits_are_left_alone(text):
    assert find_cpr_numbers(text, today=TODAY) == []
    assert mask_cpr(text, today=TODAY) == (text, 0)


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("0102031234", True),
        ("2902004123", True),
        ("2902005123", True),  # 7th digit 5, YY 00 -> 2000, a leap year
        ("2902001234", False),  # 1900
        ("0101584000", True),  # 7th digit 4, YY 58 -> 1958
        ("0101585000", True),  # 1858
        ("0101575000", False),  # 2057
        ("0101364000", False),  # 2036
        ("0101374000", True),  # 1937
        ("2311264000", True),  # today
        ("2411264000", False),  # tomorrow
        ("0123456789", False),
        ("010203-1234", False),  # separators are not digits
        ("010203123", False),
        ("01020312345", False),
        ("\uff10\uff11\uff10\uff12\uff10\uff13\uff11\uff12\uff13\uff14", False),
        ("", False),
    ],
)
def test_is_valid_cpr(digits, valid):
    assert is_valid_cpr(digits, today=TODAY) is valid


@pytest.mark.parametrize(
    ("seventh", "yy", "year"),
    [
        *[(d, 99, 1999) for d in "0123"],
        *[(d, 0, 1900) for d in "0123"],
        *[(d, 36, 2036) for d in "49"],
        *[(d, 37, 1937) for d in "49"],
        *[(d, 57, 2057) for d in "5678"],
        *[(d, 58, 1858) for d in "5678"],
    ],
)
def test_century_rule(seventh, yy, year):
    digits = f"0101{yy:02d}{seventh}000"
    # Valid exactly when 1 January of the computed year is not after today.
    assert is_valid_cpr(digits, today=datetime.date(year, 1, 1)) is True
    assert is_valid_cpr(digits, today=datetime.date(year - 1, 12, 31)) is False


def test_several_numbers_in_one_text():
    text = "010203-1234 og 311299 3999, samt (0101584000)."
    matches = find_cpr_numbers(text, today=TODAY)
    assert [m.group() for m in matches] == ["010203-1234", "311299 3999", "0101584000"]
    assert mask_cpr(text, today=TODAY) == ("010203-XXXX og 311299-XXXX, samt (010158-XXXX).", 3)


def test_two_numbers_count_two():
    text = "Mor 010203-1234, barn 0101104000"
    assert mask_cpr(text, today=TODAY) == ("Mor 010203-XXXX, barn 010110-XXXX", 2)


def test_match_groups():
    (match,) = find_cpr_numbers("cpr 010203\u20131234.", today=TODAY)
    assert (match["date"], match["sep"], match["serial"]) == ("010203", "\u2013", "1234")
    assert (match.start(), match.end()) == (4, 15)


def test_invalid_candidate_does_not_hide_a_valid_one():
    text = "320199-1234 010203-1234 0123456789 0102031234"
    assert mask_cpr(text, today=TODAY) == ("320199-1234 010203-XXXX 0123456789 010203-XXXX", 2)


def test_masking_leaves_the_rest_of_the_text_identical():
    text = "Kære Åse 👋🏽 — søn født 010203-1234 i Ærøskøbing 🇩🇰\n\tmvh Øjvind ✓ 72 10 50 00"
    masked, count = mask_cpr(text, today=TODAY)
    assert count == 1
    assert masked == text.replace("010203-1234", "010203-XXXX")
    assert len(masked) == len(text)


def test_masked_text_has_no_cpr_numbers_left():
    text = "0102031234 010203 1234 010203\u20131234 (290200-4123) 010158-5000"
    masked, count = mask_cpr(text, today=TODAY)
    assert count == 5
    assert find_cpr_numbers(masked, today=TODAY) == []
    assert mask_cpr(masked, today=TODAY) == (masked, 0)


def test_default_today_is_used_without_argument():
    # Without `today` the local date is used; a date long past is a CPR number whatever it is.
    assert mask_cpr("010203-1234") == ("010203-XXXX", 1)
    assert find_cpr_numbers("0102031234")
    assert is_valid_cpr("0101585000")


def test_random_phone_numbers_and_amounts_never_match():
    rng = random.Random(42)
    for _ in range(3000):
        phone = f"{rng.randint(20_000_000, 99_999_999)}"
        spaced = " ".join(phone[i : i + 2] for i in range(0, 8, 2))
        for text in (
            phone,
            f"Ring {phone}.",
            f"+45{phone}",
            f"+45 {phone}",
            f"0045{phone}",
            spaced,
            f"{phone[:4]} {phone[4:]}",
            f"{phone[:4]}-{phone[4:]}",
        ):
            assert find_cpr_numbers(text, today=TODAY) == [], text

        amount = rng.randint(0, 10_000_000_000)
        dotted = f"{amount:,}".replace(",", ".")
        for text in (
            f"{dotted},{rng.randint(0, 99):02d} kr",
            f"kr. {dotted}",
            f"DKK {dotted},-",
            f"{amount // 100}.{amount % 100:02d}",
        ):
            assert find_cpr_numbers(text, today=TODAY) == [], text


def test_random_long_digit_runs_never_match():
    rng = random.Random(42)
    for _ in range(3000):
        length = rng.randint(11, 20)
        run = "".join(rng.choice("0123456789") for _ in range(length))
        assert find_cpr_numbers(f"nr. {run} ", today=TODAY) == [], run


# Which seventh digits give which years, written out by hand from the rule.
def _seventh_digits(year: int) -> str:
    if year <= 1899:
        return "5678"
    if year <= 1936:
        return "0123"
    if year <= 1999:
        return "012349"
    return "495678"


def test_random_valid_numbers_are_always_masked():
    rng = random.Random(42)
    start = datetime.date(1858, 1, 1).toordinal()
    for _ in range(3000):
        born = datetime.date.fromordinal(rng.randint(start, TODAY.toordinal()))
        date = f"{born:%d%m}{born.year % 100:02d}"
        serial = f"{rng.choice(_seventh_digits(born.year))}{rng.randint(0, 999):03d}"
        sep = rng.choice(["", "-", " ", "\u00a0", "\u2013", "\u2014", "\u2212"])
        assert is_valid_cpr(date + serial, today=TODAY), date + serial
        masked, count = mask_cpr(f"cpr {date}{sep}{serial}.", today=TODAY)
        assert (masked, count) == (f"cpr {date}-XXXX.", 1), date + serial
