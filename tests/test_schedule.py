"""Issue 21 item 5: the daily commands are tasks, enqueued at their cron times by
`manage.py crontask`; of two schedulers running at once, one holds the PostgreSQL advisory lock
and fires, the other stands by (and takes over when the first stops)."""

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from crontask import scheduler
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.security.test_load import database_url
from udsathed import tasks
from udsathed.schedule import SchedulerLock

ROOT = Path(__file__).resolve().parents[1]
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def next_fire_times(now: datetime) -> dict[str, datetime]:
    return {
        job.name: job.trigger.get_next_fire_time(None, now)
        for job in scheduler.get_jobs()
        if job.name in tasks.SCHEDULE
    }


def test_the_daily_tasks_fire_at_their_copenhagen_times():
    with time_machine.travel(datetime(2026, 3, 29, 1, 59, tzinfo=COPENHAGEN), tick=False):
        # The night summer time starts (02:00 becomes 03:00): the jobs still run once, at 03:00.
        fires = next_fire_times(datetime.now(COPENHAGEN))
    assert fires["apply_retention"] == datetime(2026, 3, 29, 3, 0, tzinfo=COPENHAGEN)
    assert fires["reconfirm_ambassadors"] == datetime(2026, 3, 29, 3, 30, tzinfo=COPENHAGEN)
    # 02:00 to 02:55 do not exist that night; the next five-minute mark is 03:00.
    assert fires["resume_sending"] == datetime(2026, 3, 29, 3, 0, tzinfo=COPENHAGEN)
    with time_machine.travel(datetime(2026, 6, 1, 12, 1, tzinfo=COPENHAGEN), tick=False):
        fires = next_fire_times(datetime.now(COPENHAGEN))
    assert fires["resume_sending"] == datetime(2026, 6, 1, 12, 5, tzinfo=COPENHAGEN)
    assert fires["apply_retention"] == datetime(2026, 6, 2, 3, 0, tzinfo=COPENHAGEN)


def test_the_tasks_do_what_the_commands_do(fredericia):
    assert set(tasks.apply_retention.call()) >= {"unconfirmed_deleted", "audit_entries_pruned"}
    assert tasks.reconfirm_ambassadors.call() == {"asked": 0, "lapsed": 0}
    assert tasks.resume_sending.call() == {
        "newsletters": 0,
        "activities": 0,
        "reminders": 0,
        "invitations": 0,
    }


def test_the_advisory_lock_is_held_by_one_scheduler_at_a_time(transactional_db):
    first = SchedulerLock(settings_dict=connection.settings_dict, standby_seconds=0.1)
    second = SchedulerLock(settings_dict=connection.settings_dict, standby_seconds=0.1)
    try:
        assert first.try_acquire() and first.held()
        assert not second.try_acquire() and not second.held()
        first.release()
        assert not first.held()
        assert second.try_acquire() and second.held()
    finally:
        first.close()
        second.close()


# A scheduler process whose clock starts at 02:59:52 Copenhagen time and runs on from there.
SCHEDULER = """
import sys, time_machine
from datetime import datetime
from zoneinfo import ZoneInfo
time_machine.travel(datetime(2026, 3, 2, 2, 59, 52, tzinfo=ZoneInfo("Europe/Copenhagen"))).start()
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "crontask", "--no-heartbeat"])
"""


def start_scheduler(log: Path) -> subprocess.Popen:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "DEBUG": "1",
        "DATABASE_URL": database_url(connection.settings_dict),
        "DJANGO_SETTINGS_MODULE": "udsathed.settings",
        "PYTHONUNBUFFERED": "1",
        "SCHEDULER_STANDBY_SECONDS": "0.5",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-c", SCHEDULER],
        cwd=ROOT,
        env=env,
        stdout=open(log, "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.load
def test_two_schedulers_at_once_fire_each_job_once(transactional_db, tmp_path):
    logs = [tmp_path / "scheduler-a.log", tmp_path / "scheduler-b.log"]
    processes = [start_scheduler(log) for log in logs]

    def said(text):
        return [text in log.read_text() for log in logs]

    try:
        # Both start at once: one holds the lock, the other stands by.
        assert wait_until(
            lambda: sum(said("holds the lock.")) == 1 and any(said("standing by")), 30
        ), [log.read_text() for log in logs]
        leader = said("holds the lock.").index(True)
        # Their clocks pass 03:00, when apply_retention and resume_sending are due.
        assert wait_until(lambda: DBTaskResult.objects.count() >= 2, 30), [
            log.read_text() for log in logs
        ]
        time.sleep(2)  # time for a second scheduler to fire too, if it wrongly could
        enqueued = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
        assert enqueued == ["udsathed.tasks.apply_retention", "udsathed.tasks.resume_sending"]
        # The leader stops (its machine dies): the standby takes the lock over.
        processes[leader].kill()
        processes[leader].wait(timeout=10)
        assert wait_until(lambda: said("holds the lock.")[1 - leader], 15), logs[
            1 - leader
        ].read_text()
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
