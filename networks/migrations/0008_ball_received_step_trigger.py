"""Every ball's history starts with a "received" step, written by the database with the ball.

One statement stores a ball and its first step, so a public submission needs no transaction of
its own (issue #9: BEGIN, a second INSERT and COMMIT were a sixth of its time under load). The
trigger runs once per statement and reads the inserted rows as a set, so the scale seeder's bulk
inserts get their steps in one INSERT ... SELECT each.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION networks_ball_received_step() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO networks_ballevent (ball_id, from_state, to_state, public_note, is_public, created_at)
    SELECT id, '', 'received', '', true, received_at FROM new_balls ORDER BY id;
    RETURN NULL;
END
$$;
CREATE TRIGGER networks_ball_received_step
    AFTER INSERT ON networks_ball
    REFERENCING NEW TABLE AS new_balls
    FOR EACH STATEMENT EXECUTE FUNCTION networks_ball_received_step();
"""

DROP = """
DROP TRIGGER networks_ball_received_step ON networks_ball;
DROP FUNCTION networks_ball_received_step();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0007_dashboard_indexes"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
