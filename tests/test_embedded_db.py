"""The embedded PostgreSQL: two processes starting at once share one server; data persists."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent(
    """
    import sys
    import psycopg
    from pathlib import Path
    from udsathed.embedded_db import embedded_database_settings

    db = embedded_database_settings(Path(sys.argv[1]), name="probe")
    with psycopg.connect(host=db["HOST"], user=db["USER"], dbname=db["NAME"], autocommit=True) as c:
        c.execute("SELECT pg_advisory_lock(1)")  # the probe itself must not race
        c.execute("CREATE TABLE IF NOT EXISTS seen (who text)")
        c.execute("INSERT INTO seen VALUES (%s)", [sys.argv[2]])
        count = c.execute("SELECT count(*) FROM seen").fetchone()[0]
    print(db["HOST"], count)
    """
)


def start(pgdata, who):
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(pgdata), who],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_starting_at_once_share_one_server_and_data_persists(tmp_path):
    pgdata = tmp_path / "pgdata"
    first, second = start(pgdata, "a"), start(pgdata, "b")
    outputs = [process.communicate(timeout=120) for process in (first, second)]
    assert first.returncode == 0, outputs[0][1]
    assert second.returncode == 0, outputs[1][1]
    hosts = {out.split()[0] for out, _ in outputs}
    assert len(hosts) == 1  # one server, one socket
    assert (pgdata / "PG_VERSION").exists()

    # Both processes have exited, so the server was stopped; a later run starts it again and
    # finds the rows the earlier runs wrote.
    third = start(pgdata, "c")
    out, err = third.communicate(timeout=120)
    assert third.returncode == 0, err
    assert out.split()[1] == "3"
