"""The heavy jobs of `make bench` (tests/benchmarks/jobs.py): the count of what the SMTP server
received, and the shape of each job's entry in bench-results.json. No timing here."""

import smtplib
import socket
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.benchmarks.jobs import JOBS, RecipientCounter, delivery_summary, job_result


@pytest.fixture
def smtp_counter():
    counter = RecipientCounter()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    yield counter, port
    controller.stop()


def send(port: int, *recipients: str) -> None:
    message = EmailMessage()
    message["From"] = "noreply@example.dk"
    message["Subject"] = "Nyhedsbrev"
    message.set_content("Hej")
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        smtp.send_message(message, to_addrs=list(recipients))


def test_the_smtp_counter_counts_each_recipient_once_and_notices_a_duplicate(smtp_counter):
    counter, port = smtp_counter
    send(port, "anna@example.dk")
    send(port, "Bo@example.dk", "carl@example.dk")
    send(port, "anna@example.dk")  # the duplicate

    assert counter.messages == 3
    summary = delivery_summary(
        counter.recipients, ["anna@example.dk", "bo@example.dk", "carl@example.dk", "dorte@x.dk"]
    )
    assert summary == {
        "received": 4,
        "unique": 3,
        "duplicates": 1,
        "missing": 1,
        "unexpected": 0,
    }


def test_each_job_result_has_the_fields_bench_results_json_needs():
    measured = {
        "newsletter_50k": {
            "seconds": 400.0,
            "mails_per_second": 125.0,
            "peak_rss_mb": 150.0,
            "peak_rss_growth_mb": 12.0,
            "recipients": 50_000,
            "received": 50_000,
            "duplicates": 0,
            "missing": 0,
        },
        "export_ambassadors_50k": {
            "seconds": 12.0,
            "peak_rss_mb": 600.0,
            "rows": 50_000,
            "formats": {"xlsx": 12.0, "csv": 8.0},
        },
        "import_ambassadors_5k": {"seconds": 40.0, "peak_rss_mb": 300.0, "rows": 5_000},
    }
    for name in JOBS:
        result = job_result(name, measured.get(name, {"seconds": 0.5, "peak_rss_mb": 100.0}))
        assert {"name", "seconds", "peak_rss_mb", "target_seconds", "met"} <= result.keys()
        assert result["name"] == name

    newsletter = job_result("newsletter_50k", measured["newsletter_50k"])
    assert newsletter["met"] is True
    assert job_result("import_ambassadors_5k", measured["import_ambassadors_5k"])["met"] is False
    duplicated = job_result("newsletter_50k", {**measured["newsletter_50k"], "duplicates": 1})
    assert duplicated["met"] is False
    grown = job_result("newsletter_50k", {**measured["newsletter_50k"], "peak_rss_growth_mb": 101})
    assert grown["met"] is False
