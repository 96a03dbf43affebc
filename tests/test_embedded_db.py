"""The embedded PostgreSQL: processes share one server, the last to stop stops it, and its
bookkeeping file (`.handle_pids.json`) survives broken contents and processes stopping at once
(issue 16, item 6). Each test has its own cluster, so the real development cluster is untouched.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import psutil
import pytest

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

# A portal process that uses the server until it is stopped by a signal.
WAITING = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from udsathed.embedded_db import embedded_database_settings

    embedded_database_settings(Path(sys.argv[1]), name="probe")
    print("ready", flush=True)
    time.sleep(120)
    """
)

# Like runserver's autoreloader: a registered parent runs a registered child and waits for it.
# On Ctrl-C the parent gives the child a quarter second, then kills it (subprocess.run), so the
# child never unregisters itself.
RELOADER = textwrap.dedent(
    """
    import subprocess, sys
    from pathlib import Path
    from udsathed.embedded_db import embedded_database_settings

    embedded_database_settings(Path(sys.argv[1]), name="probe")
    child = "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); " + sys.argv[2]
    try:
        subprocess.run([sys.executable, "-c", child, sys.argv[1]])
    except KeyboardInterrupt:
        pass
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


def run_probe(pgdata, who="a"):
    process = start(pgdata, who)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return out


@pytest.fixture
def cluster_dir():
    # Not under pytest's tmp_path: run as root, postgres runs as the wheel's own user, who must
    # reach the folder, and every pytest session started meanwhile closes pytest's base folder
    # to other users again.
    folder = Path(tempfile.mkdtemp(prefix="udsathed-test-pg-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def template_cluster():
    """One initdb for the module (the slow part); each test copies the stopped cluster."""
    folder = Path(tempfile.mkdtemp(prefix="udsathed-test-pg-"))
    pgdata = folder / "pgdata"
    run_probe(pgdata)
    assert not server_running(pgdata)
    yield pgdata
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pgdata(template_cluster, cluster_dir):
    target = cluster_dir / "pgdata"
    # cp -a keeps the owner: run as root, the wheel runs postgres as its own system user.
    subprocess.run(["cp", "-a", str(template_cluster), str(target)], check=True)
    (target / ".handle_pids.json").unlink(missing_ok=True)
    return target


def server_running(pgdata) -> bool:
    postmaster = pgdata / "postmaster.pid"
    if not postmaster.exists():
        return False
    pid = int(postmaster.read_text().split()[0])
    return psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE


def wait_until(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def registered(pgdata) -> list:
    return json.loads((pgdata / ".handle_pids.json").read_text())


def registered_or_none(pgdata) -> list | None:
    try:
        return registered(pgdata)
    except (OSError, ValueError):  # not there yet, or read while being written in place
        return None


SPAWNED = []


def waiting_process(pgdata, script=WAITING, *extra):
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(pgdata), *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    SPAWNED.append(process)
    if script == WAITING:
        assert process.stdout.readline().strip() == "ready", process.stderr.read()
    return process


@pytest.fixture
def stop_leftover_server(pgdata):
    yield
    # A failed test must leave neither its processes nor a postgres running.
    for process in SPAWNED:
        for child in (
            psutil.Process(process.pid).children(recursive=True) if process.poll() is None else []
        ):
            child.kill()
        process.kill()
        process.communicate()
    SPAWNED.clear()
    if server_running(pgdata):
        os.kill(int((pgdata / "postmaster.pid").read_text().split()[0]), signal.SIGINT)


def test_two_processes_starting_at_once_share_one_server_and_data_persists(cluster_dir):
    pgdata = cluster_dir / "pgdata"
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


@pytest.mark.parametrize("broken", ["", "[12, 3", '{"pids": [1]}', "not json", "[1, null]"])
def test_start_repairs_a_broken_pid_file(pgdata, stop_leftover_server, broken):
    (pgdata / ".handle_pids.json").write_text(broken)
    run_probe(pgdata)
    assert registered(pgdata) == []
    assert not server_running(pgdata)


def test_two_processes_stopping_at_once_leave_a_valid_file_and_stop_the_server(
    pgdata, stop_leftover_server
):
    processes = [waiting_process(pgdata) for _ in range(3)]
    assert sorted(registered(pgdata)) == sorted(p.pid for p in processes)
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        process.wait(timeout=30)
    assert wait_until(lambda: not server_running(pgdata))
    assert registered(pgdata) == []


def test_last_process_stopped_by_sigterm_stops_the_server(pgdata, stop_leftover_server):
    first, last = waiting_process(pgdata), waiting_process(pgdata)
    first.send_signal(signal.SIGTERM)
    first.wait(timeout=30)
    assert server_running(pgdata)  # the other process still uses it
    assert registered(pgdata) == [last.pid]
    last.send_signal(signal.SIGTERM)
    # The default behaviour is kept: the process still ends by the signal.
    assert last.wait(timeout=30) == -signal.SIGTERM
    assert wait_until(lambda: not server_running(pgdata))
    assert registered(pgdata) == []


def test_last_process_stopped_by_ctrl_c_stops_the_server_though_its_child_was_killed(
    pgdata, stop_leftover_server
):
    child = (
        "import sys; from pathlib import Path;"
        " from udsathed.embedded_db import embedded_database_settings;"
        " embedded_database_settings(Path(sys.argv[1]), name='probe'); time.sleep(120)"
    )
    parent = waiting_process(pgdata, RELOADER, child)
    assert wait_until(lambda: len(registered_or_none(pgdata) or []) == 2)
    parent.send_signal(signal.SIGINT)
    parent.wait(timeout=30)
    assert wait_until(lambda: not server_running(pgdata))
    assert registered(pgdata) == []
