"""The heavy jobs of `make bench`: what takes minutes, not milliseconds, at national scale (N=100).

`run_jobs(env)` runs each job in a process of its own (so a peak memory figure is that job's
alone) against the data set `env` points at, and returns one dict per job, with `seconds`,
`peak_rss_mb`, `target_seconds` and `met`:

- `newsletter_50k`: a newsletter to 50,000 recipients, sent by the real worker
  (`manage.py db_worker`, as `make run` starts it) through Django's SMTP backend to a real SMTP
  server on loopback (aiosmtpd, in a process of its own), which counts every RCPT TO: each
  recipient must arrive exactly once. Timed from `newsletter_start_sending` until the newsletter
  is sent; the worker's memory is sampled every 0.2 s and its growth is the peak less what it held
  once started, before the newsletter was enqueued. Recipients the data set lacks are added for
  the job (e-mails starting with `bench-nl-`) and deleted after it, with the newsletter, its
  deliveries and the task rows.
- `export_ambassadors_50k`: the admin's Excel and CSV export actions on the 50,000 scale
  ambassadors.
- `import_ambassadors_5k`: a 5,000-row Excel file (e-mails starting with `bench-import-`)
  through the import (ambassadors.imports, as the admin and `manage.py import_ambassadors`).
- `report_pdf`: the committee's PDF report of the dashboard's default period, cold (the
  figures computed, not read from the cache that `evaluation.dashboard.cached` fills).
- `person_export` / `person_erase`: one person's data export (a scale ambassador with
  participations and registrations) and the erasure of a person made for it.
- `apply_retention`: every retention rule once.

The jobs that write (the import, the erasure, the export's audit row, retention) run inside one
transaction that is rolled back at the end, so the data set stays as seeded run after run; only
that final COMMIT is not in their time.

Alone: `python -m tests.benchmarks.jobs` against `.pgdata-bench/` (built with
`seed_demo --scale $BENCH_SCALE` when missing); `BENCH_JOBS=newsletter_50k,report_pdf` picks jobs.
"""

from __future__ import annotations

import collections
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SCALE = int(os.environ.get("BENCH_SCALE", "100"))
PGDATA = ROOT / ".pgdata-bench"

NEWSLETTER_RECIPIENTS = 50_000
EXPORT_ROWS = 50_000
IMPORT_ROWS = 5_000
NEWSLETTER_PREFIX = "bench-nl-"
IMPORT_PREFIX = "bench-import-"
ERASE_PREFIX = "bench-erase-"
MIN_MAILS_PER_SECOND = 100
MAX_RSS_GROWTH_MB = 100
SAMPLE_SECONDS = 0.2
TARGET_SECONDS = {
    "newsletter_50k": NEWSLETTER_RECIPIENTS / MIN_MAILS_PER_SECOND,
    "export_ambassadors_50k": 20,
    "import_ambassadors_5k": 30,
    "report_pdf": 5,
    "person_export": 1,
    "person_erase": 1,
    "apply_retention": None,  # no target: measured to be known
}
JOBS = list(TARGET_SECONDS)


# --- The SMTP server's count (pure; tested in tests/test_bench_jobs.py) ---------------------


class RecipientCounter:
    """An aiosmtpd handler counting each accepted message's RCPT TO addresses."""

    def __init__(self):
        self.messages = 0
        self.recipients: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.record(envelope.rcpt_tos)
        return "250 OK"

    def record(self, addresses: Iterable[str]) -> None:
        with self._lock:
            self.messages += 1
            self.recipients.update(address.lower() for address in addresses)


def delivery_summary(counts: dict[str, int], expected: Iterable[str]) -> dict[str, int]:
    """How many of `expected` arrived, how many arrived more than once, and who never did."""
    expected = {address.lower() for address in expected}
    return {
        "received": sum(counts.values()),
        "unique": len(counts),
        "duplicates": sum(n - 1 for n in counts.values() if n > 1),
        "missing": len(expected - counts.keys()),
        "unexpected": len(counts.keys() - expected),
    }


def job_result(name: str, measured: dict) -> dict:
    """The job's entry in bench-results.json: the measurements, its target and whether met."""
    target = TARGET_SECONDS[name]
    result = {"name": name, **measured, "target_seconds": target}
    met = target is None or measured["seconds"] <= target
    if name == "newsletter_50k":
        met = (
            met
            and measured["mails_per_second"] >= MIN_MAILS_PER_SECOND
            and measured["peak_rss_growth_mb"] <= MAX_RSS_GROWTH_MB
            and measured["duplicates"] == 0
            and measured["missing"] == 0
            and measured["received"] == measured["recipients"]
        )
    result["met"] = bool(met)
    return result


# --- The driver (no Django here) -------------------------------------------------------------


def production_env(pgdata: Path) -> dict[str, str]:
    """DEBUG off with bench-only secrets, mail nowhere, this data set (bench.py adds its own)."""
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-not-used-anywhere-else-0123456789",  # noqa: S106
        ALLOWED_HOSTS="127.0.0.1",
        PORTAL_BASE_URL="http://127.0.0.1:8765",
        EMBEDDED_PGDATA=str(pgdata),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.pop("DATABASE_URL", None)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def in_subprocess(env: dict, step: str, *args: str) -> dict:
    """Run one step of a job in its own process; its last line of output is the JSON result."""
    command = [PYTHON, "-m", "tests.benchmarks.jobs", "--step", step, *args]
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"Job step {step} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise ProcessLookupError(pid)


class RssSampler(threading.Thread):
    """The highest VmRSS of a process, read every SAMPLE_SECONDS."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(SAMPLE_SECONDS):
            try:
                self.peak = max(self.peak, rss_mb(self.pid))
            except (OSError, ProcessLookupError):
                return


def wait_until_started(pid: int, *, timeout: float = 60) -> float:
    """The worker's RSS once it has stopped growing for a second (Django set up, polling)."""
    deadline = time.monotonic() + timeout
    last, steady = rss_mb(pid), 0
    time.sleep(2)
    while time.monotonic() < deadline:
        time.sleep(SAMPLE_SECONDS)
        now = rss_mb(pid)
        steady = steady + 1 if abs(now - last) < 0.5 else 0
        last = now
        if steady >= 5:
            return now
    raise RuntimeError("the worker did not settle within a minute")


def stop_process(process: subprocess.Popen, *, timeout: float = 30) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def newsletter_job(env: dict) -> dict:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as tmp:
        counts_path = Path(tmp) / "received.json"
        expected_path = Path(tmp) / "expected.json"
        smtp = subprocess.Popen(
            [PYTHON, "-m", "tests.benchmarks.jobs", "--smtp", str(port), str(counts_path)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        worker = None
        prepared = None
        try:
            assert smtp.stdout.readline().strip() == "listening"  # noqa: S101
            prepared = in_subprocess(env, "newsletter_prepare", str(expected_path))
            worker_env = dict(
                env,
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=str(port),
                EMAIL_USE_TLS="0",
                EMAIL_USE_SSL="0",
            )
            # As `make run` starts it.
            worker = subprocess.Popen(
                [PYTHON, "manage.py", "db_worker", "--interval", "2"], cwd=ROOT, env=worker_env
            )
            start_rss = wait_until_started(worker.pid)
            sampler = RssSampler(worker.pid)
            sampler.peak = start_rss
            sampler.start()
            sent = in_subprocess(env, "newsletter_send", str(prepared["newsletter"]))
            sampler.stopped.set()
            sampler.join()
        finally:
            if worker is not None:
                stop_process(worker)
            smtp.stdin.close()  # the server writes its count and exits
            smtp.wait(timeout=60)
            if prepared is not None:
                in_subprocess(env, "newsletter_cleanup", json.dumps(prepared))
        counts = json.loads(counts_path.read_text())
        expected = json.loads(expected_path.read_text())
    summary = delivery_summary(counts, expected)
    seconds = sent["seconds"]
    return {
        "seconds": round(seconds, 2),
        "mails_per_second": round(summary["received"] / seconds, 1),
        "peak_rss_mb": round(sampler.peak, 1),
        "peak_rss_growth_mb": round(sampler.peak - start_rss, 1),
        "recipients": len(expected),
        "received": summary["received"],
        "duplicates": summary["duplicates"],
        "missing": summary["missing"],
        "added_recipients": prepared["added"],
    }


def run_jobs(env: dict[str, str], *, only: set[str] | None = None) -> list[dict]:
    """Every job (or those named in `only`), each in its own process; see the module docstring."""
    results = []
    for name in JOBS:
        if only and name not in only:
            continue
        print(f"== job {name}", flush=True)
        measured = newsletter_job(env) if name == "newsletter_50k" else in_subprocess(env, name)
        results.append(job_result(name, measured))
    return results


def ensure_dataset(env: dict) -> None:
    def manage(*args):
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)

    if (PGDATA / "PG_VERSION").exists():
        return
    print(f"== data set N={SCALE} in {PGDATA.name}/ (built once, then reused)", flush=True)
    manage("migrate", "--noinput", "-v0")
    manage("createcachetable")
    manage("seed_demo", "--scale", str(SCALE), "--force")
    vacuum = "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"
    manage("shell", "--no-imports", "-c", vacuum)


def print_table(results: list[dict]) -> None:
    print(f"{'job':<24}{'seconds':>9}{'target':>8}{'peak MB':>9}  met  other")
    for job in results:
        other = {
            key: value
            for key, value in job.items()
            if key not in {"name", "seconds", "target_seconds", "peak_rss_mb", "met"}
        }
        target = "-" if job["target_seconds"] is None else f"{job['target_seconds']:g}"
        print(
            f"{job['name']:<24}{job['seconds']:>9.2f}{target:>8}{job['peak_rss_mb']:>9.0f}"
            f"  {'yes' if job['met'] else 'NO ':<4} {json.dumps(other)}"
        )


def main() -> None:
    env = production_env(PGDATA)
    ensure_dataset(env)
    only = {name for name in os.environ.get("BENCH_JOBS", "").split(",") if name}
    results = run_jobs(env, only=only or None)
    print_table(results)
    print(json.dumps(results))


# --- The SMTP server's process ----------------------------------------------------------------


def smtp_serve(port: int, counts_path: Path) -> None:
    """Listen on loopback until stdin closes, then write {address: times received}."""
    from aiosmtpd.controller import Controller

    counter = RecipientCounter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    print("listening", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()
        counts_path.write_text(json.dumps(dict(counter.recipients)))


# --- The steps inside Django (each in its own process) ----------------------------------------


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Rollback(Exception):
    pass


def timed_and_rolled_back(job) -> tuple[float, object]:
    """`job()`'s seconds and result, inside a transaction that is then rolled back."""
    from django.db import transaction

    outcome = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            outcome["value"] = job()
            outcome["seconds"] = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return outcome["seconds"], outcome["value"]


def step_newsletter_prepare(expected_path: str) -> dict:
    from django.utils import timezone
    from faker import Faker

    from ambassadors.models import Ambassador, AmbassadorKind, Newsletter

    fake = Faker("da_DK")
    fake.seed_instance(50)
    names = [fake.name() for _ in range(300)]
    recipients = Ambassador.objects.newsletter_recipients()
    missing = max(0, NEWSLETTER_RECIPIENTS - recipients.count())
    now = timezone.now()
    Ambassador.objects.bulk_create(
        (
            Ambassador(
                kind=AmbassadorKind.CITIZEN,
                name=names[i % len(names)],
                email=f"{NEWSLETTER_PREFIX}{i}@example.dk",
                postcode="7000",
                accepts_newsletter=True,
                created_at=now,
                confirmed_at=now,
                last_confirmed_at=now,
            )
            for i in range(missing)
        ),
        batch_size=5_000,
    )
    newsletter = Newsletter.objects.create(
        title="Nyhedsbrev til hele landet",
        slug=f"{NEWSLETTER_PREFIX}{int(now.timestamp())}",
        body="# Nyt fra fællesskabet\n\nKom og vær med til **stormødet** i næste måned.",
    )
    expected = list(recipients.values_list("email", flat=True))
    Path(expected_path).write_text(json.dumps(expected))
    return {"newsletter": newsletter.pk, "added": missing, "since": now.isoformat()}


def step_newsletter_send(newsletter_id: str) -> dict:
    from ambassadors.models import DeliveryStatus, Newsletter, NewsletterState
    from ambassadors.services.newsletters import newsletter_start_sending

    newsletter = Newsletter.objects.get(pk=int(newsletter_id))
    started = time.perf_counter()
    total = newsletter_start_sending(newsletter=newsletter)
    while True:
        newsletter.refresh_from_db(fields=["state"])
        if newsletter.state == NewsletterState.SENT:
            break
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    sent = newsletter.deliveries.filter(status=DeliveryStatus.SENT).count()
    return {"seconds": seconds, "deliveries": total, "sent": sent}


def step_newsletter_cleanup(prepared: str) -> dict:
    from datetime import datetime

    from django_tasks_db.models import DBTaskResult

    from ambassadors.models import Ambassador, Newsletter

    prepared = json.loads(prepared)
    Newsletter.objects.filter(pk=prepared["newsletter"]).delete()  # with its deliveries
    Ambassador.objects.filter(email__startswith=NEWSLETTER_PREFIX).delete()
    since = datetime.fromisoformat(prepared["since"])
    DBTaskResult.objects.filter(
        enqueued_at__gte=since, task_path="ambassadors.tasks.send_newsletter"
    ).delete()
    return {}


def step_export_ambassadors_50k() -> dict:
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    from ambassadors.models import Ambassador

    formats = {}

    def export():
        user = get_user_model().objects.create_superuser("bench-jobs-export", "", None)
        model_admin = admin.site.get_model_admin(Ambassador)
        for file_format, action in (("xlsx", "export_excel"), ("csv", "export_csv")):
            request = RequestFactory().post("/admin/ambassadors/ambassador/")
            request.user = user
            queryset = model_admin.get_queryset(request).filter(email__startswith="scale-")
            started = time.perf_counter()
            response = getattr(model_admin, action)(request, queryset)
            formats[file_format] = round(time.perf_counter() - started, 2)
            assert response.status_code == 200 and len(response.content) > EXPORT_ROWS  # noqa: S101
        return queryset.count()

    _, rows = timed_and_rolled_back(export)
    return {
        "seconds": max(formats.values()),
        "peak_rss_mb": peak_rss_mb(),
        "rows": rows,
        "formats": formats,
    }


def import_workbook(rows: int) -> bytes:
    """An Excel file of `rows` made-up Danes, as a leader's old list would look."""
    import io
    import random
    import unicodedata

    from faker import Faker
    from openpyxl import Workbook

    fake = Faker("da_DK")
    fake.seed_instance(23)
    rng = random.Random(23)  # noqa: S311 - made-up data
    first = [fake.first_name() for _ in range(200)]
    last = [fake.last_name() for _ in range(200)]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Navn", "E-mail", "Type", "Postnummer", "Telefon"])
    for i in range(rows):
        name = f"{rng.choice(first)} {rng.choice(last)}"
        local = name.lower().replace(" ", ".").replace("æ", "ae").replace("ø", "oe")
        local = local.replace("å", "aa")
        local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode()
        sheet.append(
            [
                name,
                f"{IMPORT_PREFIX}{i}.{local}@example.dk",
                "Privatperson",
                rng.choice(["7000", "7080", "6000", "8000"]),
                f"+45 {rng.randint(20_00_00_00, 99_99_99_99)}",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def step_import_ambassadors_5k() -> dict:
    from ambassadors.imports import ambassadors_import, read_file

    content = import_workbook(IMPORT_ROWS)

    def run():
        dataset = read_file(content, "ambassadoerer.xlsx")
        report = ambassadors_import(
            dataset=dataset, file_name="ambassadoerer.xlsx", user="bench", dry_run=False
        )
        return report

    seconds, report = timed_and_rolled_back(run)
    if not report.written:
        errors = [row.messages for row in report.rows if row.messages][:3]
        raise RuntimeError(f"the import wrote nothing: {report.counts} {errors}")
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": peak_rss_mb(),
        "rows": len(report.rows),
        "outcomes": report.counts,
    }


def step_report_pdf() -> dict:
    from evaluation import dashboard
    from evaluation.forms import default_period
    from evaluation.report import render_dashboard_pdf

    period = default_period()
    # Cold: the figures are computed, as the first reader after CACHE_SECONDS gets them
    # (dashboard_data without its cache.get_or_set, which the other readers' copies sit in).
    started = time.perf_counter()
    data = dashboard._dashboard_data(period)
    figures = time.perf_counter() - started
    pdf = render_dashboard_pdf(data)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": peak_rss_mb(),
        "figures_seconds": round(figures, 2),
        "pdf_bytes": len(pdf),
    }


def _person_with_footprint():
    from django.db.models import Count

    from ambassadors.models import Ambassador

    return (
        Ambassador.objects.filter(email__startswith="scale-", confirmed_at__isnull=False)
        .annotate(
            n_participations=Count("participations", distinct=True),
            n_registrations=Count("registrations", distinct=True),
        )
        .filter(n_participations__gt=0, n_registrations__gt=0)
        .order_by("pk")
        .first()
    )


def step_person_export() -> dict:
    from ambassadors.services import ambassador_export

    ambassador = _person_with_footprint()
    started = time.perf_counter()
    data = ambassador_export(ambassador=ambassador)
    json.dumps(data)  # as the download writes it
    seconds = time.perf_counter() - started
    sections = {name: len(rows) for name, rows in data.items() if isinstance(rows, list)}
    return {"seconds": round(seconds, 3), "peak_rss_mb": peak_rss_mb(), "sections": sections}


def step_person_erase() -> dict:
    from django.utils import timezone

    from ambassadors.models import Participation, ParticipationKind, Story
    from ambassadors.services import ambassador_erase
    from networks.models import Activity, Registration
    from tests.ambassadors.factories import AmbassadorFactory
    from tests.networks.factories import BallFactory

    def erase():
        now = timezone.now()
        person = AmbassadorFactory(email=f"{ERASE_PREFIX}{int(now.timestamp())}@example.dk")
        Participation.objects.bulk_create(
            Participation(
                ambassador=person,
                kind=ParticipationKind.ACTIVITY,
                occurred_on=now.date(),
                description="Stormøde",
            )
            for _ in range(6)
        )
        for activity in Activity.objects.filter(slug__startswith="scale-").order_by("pk")[:5]:
            Registration.objects.create(
                activity=activity, ambassador=person, name=person.name, email=person.email
            )
        BallFactory(contact_email=person.email, contact_name=person.name)
        Story.objects.create(ambassador=person, title="Min historie", text="Det var en god dag.")
        started = time.perf_counter()
        ambassador_erase(ambassador=person)
        return time.perf_counter() - started

    _, seconds = timed_and_rolled_back(erase)
    return {"seconds": round(seconds, 3), "peak_rss_mb": peak_rss_mb()}


def step_apply_retention() -> dict:
    from udsathed.retention import retention_apply

    seconds, counts = timed_and_rolled_back(retention_apply)
    return {"seconds": round(seconds, 2), "peak_rss_mb": peak_rss_mb(), "counts": counts}


STEPS = {
    "newsletter_prepare": step_newsletter_prepare,
    "newsletter_send": step_newsletter_send,
    "newsletter_cleanup": step_newsletter_cleanup,
    "export_ambassadors_50k": step_export_ambassadors_50k,
    "import_ambassadors_5k": step_import_ambassadors_5k,
    "report_pdf": step_report_pdf,
    "person_export": step_person_export,
    "person_erase": step_person_erase,
    "apply_retention": step_apply_retention,
}


def run_step(name: str, *args: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "udsathed.settings")
    import django

    django.setup()
    print(json.dumps(STEPS[name](*args)), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--step"]:
        run_step(*sys.argv[2:])
    elif sys.argv[1:2] == ["--smtp"]:
        smtp_serve(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
