"""The "received" step is written by the ball service (`ball_record_received`), not a trigger."""

from django.db import migrations

DROP = """
DROP TRIGGER IF EXISTS networks_ball_received_step ON networks_ball;
DROP FUNCTION IF EXISTS networks_ball_received_step();
"""

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


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0012_cpr_masked_text_fields"),
    ]

    operations = [migrations.RunSQL(DROP, CREATE)]
