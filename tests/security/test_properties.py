"""Property-based tests (hypothesis) of the CPR rule in SECURITY.md and of the public forms."""

import datetime

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from udsathed.core.cpr import find_cpr_numbers, is_valid_cpr, mask_cpr

# The machine is shared with other work: timings vary, so no per-example deadline.
settings.register_profile("portal", deadline=None, derandomize=True)
settings.load_profile("portal")

TODAY = datetime.date(2026, 11, 23)
SEPARATORS = ["", "-", "\u2013", "\u2014", "\u2212", "\uff0d", " ", "\u00a0"]


def century(seventh: int, yy: int) -> int:
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


@st.composite
def cpr_numbers(draw):
    """A possible CPR number: a real, past birth date encoded with a matching seventh digit."""
    seventh = draw(st.integers(0, 9))
    yy = draw(st.integers(0, 99))
    year = century(seventh, yy) + yy
    start = datetime.date(year, 1, 1)
    end = min(datetime.date(year, 12, 31), TODAY)
    if start > end:
        seventh, year = 0, 1900 + yy
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    born = draw(st.dates(min_value=start, max_value=end))
    serial = f"{seventh}{draw(st.integers(0, 999)):03d}"
    return f"{born:%d%m%y}", serial


@given(cpr_numbers(), st.sampled_from(SEPARATORS), st.text(max_size=30), st.text(max_size=30))
def test_every_possible_cpr_number_is_found_and_masked(number, sep, before, after):
    date, serial = number
    # Text around it must not glue further ASCII digits onto the number.
    before = before.rstrip("0123456789") + " "
    after = " " + after.lstrip("0123456789")
    text = f"{before}{date}{sep}{serial}{after}"
    masked, count = mask_cpr(text, today=TODAY)
    assert count >= 1
    assert f"{date}-XXXX" in masked
    assert f"{date}{sep}{serial}" not in masked


@given(st.text(max_size=200))
@example("Ring 12345678 eller 0123456789, 12.345.678 kr., 01-02-2003, 01020312345")
def test_masking_is_idempotent_and_leaves_text_without_cpr_alone(text):
    masked, count = mask_cpr(text, today=TODAY)
    again, count_again = mask_cpr(masked, today=TODAY)
    assert again == masked and count_again == 0
    if count == 0:
        assert masked == text
    assert len(find_cpr_numbers(masked, today=TODAY)) == 0


@given(st.integers(0, 99_999_999))
def test_eight_digit_phone_numbers_never_match(number):
    assert mask_cpr(f"Ring på {number:08d} i dag", today=TODAY)[1] == 0


@given(st.integers(10**10, 10**15))
def test_runs_of_eleven_or_more_digits_never_match(number):
    assert mask_cpr(f"Konto {number}", today=TODAY)[1] == 0


@given(cpr_numbers())
def test_a_future_birth_date_is_not_a_cpr_number(number):
    date, serial = number
    born_yesterday = TODAY - datetime.timedelta(days=1)
    assert is_valid_cpr(f"{date}{serial}", today=TODAY)
    assert not is_valid_cpr(f"{date}{serial}", today=datetime.date(1799, 1, 1))
    assert born_yesterday < TODAY


@given(st.text(alphabet="٠١٢٣٤٥٦٧٨٩０１２３４５６７８９- ", min_size=10, max_size=12))
def test_digits_of_other_scripts_never_match(text):
    assert mask_cpr(text, today=TODAY)[1] == 0


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.text(max_size=200),
    description=st.text(max_size=600),
    email=st.one_of(st.emails(), st.text(max_size=60)),
    kind=st.one_of(st.sampled_from(["idea", "problem"]), st.text(max_size=10)),
)
def test_the_ball_form_never_raises_and_never_keeps_a_cpr_number(
    db, title, description, email, kind
):
    from networks.forms import BallForm

    form = BallForm(
        data={"kind": kind, "title": title, "description": description, "contact_email": email}
    )
    if form.is_valid():
        assert not find_cpr_numbers(form.cleaned_data["description"])
        assert not find_cpr_numbers(form.cleaned_data["title"])


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.text(max_size=150),
    email=st.one_of(st.emails(), st.text(max_size=60)),
    postcode=st.text(max_size=8),
    phone=st.text(max_size=20),
)
def test_the_sign_up_form_never_raises(db, name, email, postcode, phone):
    from ambassadors.forms import AmbassadorSignUpForm

    form = AmbassadorSignUpForm(
        data={
            "kind": "citizen",
            "name": name,
            "email": email,
            "postcode": postcode,
            "phone": phone,
            "accept_privacy": "on",
        }
    )
    form.is_valid()
