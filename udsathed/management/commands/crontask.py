"""`manage.py crontask`: django-crontask's scheduler, elected by a PostgreSQL advisory lock.

It replaces crontask's own command (the `udsathed` app comes before `crontask` in
INSTALLED_APPS) only to swap crontask's lock, which is Redis or none, for the portal's
(udsathed/schedule.py); loading the tasks and running the scheduler are crontask's own.
"""

import importlib

from crontask import scheduler
from crontask.management.commands import crontask
from django.db import connection

from udsathed.schedule import LockError, LockLost, SchedulerLock, guard_jobs


class Command(crontask.Command):
    help = (
        "Run the scheduler that enqueues the scheduled tasks (udsathed/tasks.py) at their "
        "times. Run one on every machine if you like: one holds the lock and fires, the others "
        "stand by and take over when it stops."
    )

    def handle(self, *args, **options):
        if not options["no_task_loading"]:
            self.load_tasks(options)
        if not options["no_heartbeat"]:
            importlib.import_module("crontask.tasks")
            self.stdout.write("Scheduling heartbeat.")
        lock = SchedulerLock(
            settings_dict=connection.settings_dict,
            on_standby=lambda: self.stdout.write(
                "Another scheduler holds the lock; standing by.", ending="\n"
            ),
        )
        # The lock has its own connection; Django's is not needed while waiting.
        connection.close()
        try:
            with lock:
                self.stdout.write("This scheduler holds the lock.")
                self.stdout.flush()
                guard_jobs(scheduler, lock)
                self.launch_scheduler(lock, scheduler)
                # The scheduler ends on a signal (lock still held) or when `extend` found the
                # lock gone; then fail, so that systemd starts it again to stand by.
                if not lock.held():
                    raise LockLost
        except LockLost:
            self.stderr.write("The scheduler lost its lock. Shutting down.")
            raise SystemExit(1) from None
        except LockError as exc:
            self.stderr.write(str(exc))
