"""Find and mask Danish CPR numbers in free text before it is saved.

The rule (from the project's security promises):

* A CPR number is ``DDMMYY`` + an optional separator + ``SSSS``, with no ASCII digit directly
  before or after. Only ASCII digits ``[0-9]`` count (never ``\\d``, which also matches other
  scripts' digits).
* The separator is at most one character: the hyphen-minus, any Unicode dash (U+2010-U+2015,
  U+2212 minus sign, U+FE58, U+FE63, U+FF0D), or exactly one space (U+0020 or U+00A0).
* The seventh digit (the first serial digit) and the year ``YY`` give the century:
  0-3 → 19YY; 4 or 9 → 20YY if YY ≤ 36, else 19YY; 5-8 → 20YY if YY ≤ 57, else 18YY.
* The date must exist and must not lie in the future.
* The old modulus-11 check is deliberately *not* applied: numbers without it have been issued
  since 2007.

A match is masked as ``DDMMYY-XXXX``. The caller warns the sender why, and logs only how many
numbers were masked (the count returned by :func:`mask_cpr`), never the numbers themselves.

Phone numbers (8 digits), longer digit runs, bare dates, amounts and ``0123456789`` do not match.

The module does not need Django at import time; Django is only asked for today's date when no
``today`` is passed.
"""

import datetime
import re

__all__ = ["find_cpr_numbers", "is_valid_cpr", "mask_cpr"]

# Hyphen-minus, U+2010 hyphen, U+2011 non-breaking hyphen, U+2012 figure dash, U+2013 en dash,
# U+2014 em dash, U+2015 horizontal bar, U+2212 minus sign, U+FE58 small em dash,
# U+FE63 small hyphen-minus, U+FF0D fullwidth hyphen-minus, U+0020 space, U+00A0 no-break space.
_SEPARATORS = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u0020\u00a0"

# A syntactic candidate; the date and the century are checked in Python afterwards. Two
# candidates can never overlap: a second one could only start at the serial digits (the only
# place inside a candidate without a digit before it), and those are 4 digits followed by a
# non-digit, too short for the 6 date digits. So skipping past a rejected candidate loses nothing.
_CANDIDATE = re.compile(
    rf"(?<![0-9])(?P<date>[0-9]{{6}})(?P<sep>[{_SEPARATORS}]?)(?P<serial>[0-9]{{4}})(?![0-9])"
)
_TEN_DIGITS = re.compile(r"[0-9]{10}")

MASK = "XXXX"


def _default_today() -> datetime.date:
    """Today in the project's time zone when Django is configured, else the system's date."""
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
        from django.utils import timezone
    except ImportError:
        return datetime.date.today()
    try:
        if settings.USE_TZ:
            return timezone.localdate()
    except ImproperlyConfigured:
        pass
    return datetime.date.today()


def _century(seventh_digit: int, yy: int) -> int:
    """The century from the seventh digit and the two-digit year, as the CPR office defines it."""
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if yy <= 36 else 1900
    # 5-8
    return 2000 if yy <= 57 else 1800


def _birth_date(digits: str) -> datetime.date | None:
    """The birth date encoded in 10 ASCII digits, or None when that date does not exist."""
    day, month, yy = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    year = _century(int(digits[6]), yy) + yy
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def is_valid_cpr(digits: str, *, today: datetime.date | None = None) -> bool:
    """Whether ``digits`` (exactly 10 ASCII digits, ``DDMMYYSSSS``) is a possible CPR number.

    The seventh digit and ``YY`` give the century: 0-3 → 19YY; 4 or 9 → 20YY if YY ≤ 36, else
    19YY; 5-8 → 20YY if YY ≤ 57, else 18YY. The date must exist and not lie after ``today``
    (default: today's local date). No modulus-11 check: such numbers are issued since 2007.
    Anything other than exactly 10 ASCII digits (separators, other scripts' digits) is False.
    """
    if not isinstance(digits, str) or not _TEN_DIGITS.fullmatch(digits):
        return False
    born = _birth_date(digits)
    if born is None:
        return False
    if today is None:
        today = _default_today()
    return born <= today


def find_cpr_numbers(text: str, *, today: datetime.date | None = None) -> list[re.Match[str]]:
    """The CPR numbers in ``text``, as regular-expression matches, in order.

    A CPR number is ``DDMMYY`` + an optional separator (hyphen, any Unicode dash, or exactly one
    space or no-break space) + ``SSSS``, with no ASCII digit directly before or after, and the
    10 digits must pass :func:`is_valid_cpr` (existing, non-future date by the century rule; no
    modulus-11 check). Each match has the groups ``date``, ``sep`` and ``serial``.
    """
    if not text:
        return []
    if today is None:
        today = _default_today()
    return [
        match
        for match in _CANDIDATE.finditer(text)
        if is_valid_cpr(match["date"] + match["serial"], today=today)
    ]


def mask_cpr(text: str, *, today: datetime.date | None = None) -> tuple[str, int]:
    """``text`` with every CPR number replaced by ``DDMMYY-XXXX``, and how many were replaced.

    The date digits are kept, the separator (if any) becomes ``-`` and the four serial digits
    become ``XXXX``; the rest of the text is left exactly as it was. What counts as a CPR number
    is decided by :func:`find_cpr_numbers`. Log only the count, never the numbers.
    """
    matches = find_cpr_numbers(text, today=today)
    if not matches:
        return text, 0
    parts: list[str] = []
    position = 0
    for match in matches:
        parts.append(text[position : match.start()])
        parts.append(f"{match['date']}-{MASK}")
        position = match.end()
    parts.append(text[position:])
    return "".join(parts), len(matches)
