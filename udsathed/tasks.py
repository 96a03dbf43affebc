"""The portal's scheduled work: the daily commands as tasks on Django's task framework, each with
its cron expression (django-crontask). `manage.py crontask` (udsathed/schedule.py: one scheduler
fires, however many machines run one) enqueues them at their times, `manage.py db_worker` runs
them; the commands still work by hand.

The schedule lives here, at the roof, because its work spans the apps. Times are Copenhagen time
(TIME_ZONE) and kept clear of 02:00-03:00, the hour that is skipped in March and run twice in
October. `apply_retention` includes the registration needs (30 days after each activity) and the
unconfirmed sign-ups (after 7 days), so `forget_registration_needs` and
`delete_unconfirmed_ambassadors` need no times of their own.
"""

from crontask import cron
from django.tasks import task

from ambassadors.services import ambassadors_run_reconfirmation
from udsathed.retention import retention_apply
from udsathed.sending import sending_resume

# Cron expressions (minute hour day-of-month month day-of-week), per task.
SCHEDULE = {
    "apply_retention": "0 3 * * *",
    "reconfirm_ambassadors": "30 3 * * *",
    "resume_sending": "*/5 * * * *",
}


@cron(SCHEDULE["apply_retention"])
@task
def apply_retention() -> dict[str, int]:
    """Every retention rule (SECURITY.md, privacy item 5), as `manage.py apply_retention`."""
    return retention_apply()


@cron(SCHEDULE["reconfirm_ambassadors"])
@task
def reconfirm_ambassadors() -> dict[str, int]:
    """The yearly check of each ambassador, as `manage.py reconfirm_ambassadors`."""
    asked, lapsed = ambassadors_run_reconfirmation()
    return {"asked": asked, "lapsed": lapsed}


@cron(SCHEDULE["resume_sending"])
@task
def resume_sending() -> dict[str, int]:
    """Unfinished sends and the reminders due, as `manage.py resume_sending`."""
    return sending_resume()
