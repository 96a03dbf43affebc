"""Issue 21 item 3: with MEDIA_STORAGE=s3 the pictures live in S3-compatible object storage, so
every web machine sees the same ones. A local S3 server (moto's server mode) on 127.0.0.1 and two
gunicorn processes, each with its own empty media folder: a story picture uploaded through one is
read through the other, through the portal's own view, and never lands on either's disk."""

import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import boto3
import pytest
import requests
from django.db import connection
from django.urls import reverse

from ambassadors.models import StoryPicture
from ambassadors.tokens import make_token
from tests.ambassadors.factories import AmbassadorFactory
from tests.pictures import jpeg
from tests.security.test_load import database_url, free_port
from themes.services import STRATEGY_DIR, strategy_load

pytestmark = pytest.mark.load

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "portal-pictures"
KEYS = {"S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing"}


def wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            requests.get(url, timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.2)
    process.kill()
    pytest.fail(f"{url} did not answer: " + log.read_text(errors="replace")[-2000:])


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@contextmanager
def running(command: list[str], *, env: dict, log: Path, probe: str):
    process = subprocess.Popen(  # noqa: S603
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115
    )
    try:
        wait_for(probe, process, log)
        yield process
    finally:
        stop(process)


@pytest.fixture
def s3_server(tmp_path):
    """moto's S3 server on a free loopback port, with one empty private bucket."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with running(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env={**os.environ},
        log=tmp_path / "moto.log",
        probe=endpoint,
    ):
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="eu-north-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
        )
        yield endpoint, client


def portal_env(*, media: Path, endpoint: str) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "AWS_"))},
        "DEBUG": "1",
        "DATABASE_URL": database_url(connection.settings_dict),
        "RATELIMIT_ENABLE": "0",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": str(media),
        "MEDIA_STORAGE": "s3",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "eu-north-1",
        "S3_ADDRESSING_STYLE": "path",
        **KEYS,
    }


@contextmanager
def portal(name: str, *, tmp_path: Path, endpoint: str):
    """One gunicorn "machine" with a media folder of its own, empty."""
    media = tmp_path / f"media-{name}"
    media.mkdir()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "udsathed.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--threads",
        "2",
    ]
    env = portal_env(media=media, endpoint=endpoint)
    with running(command, env=env, log=tmp_path / f"{name}.log", probe=f"{base}/healthz"):
        yield base, media


def test_a_picture_uploaded_on_one_machine_is_served_by_another(
    transactional_db, s3_server, tmp_path
):
    endpoint, s3 = s3_server
    strategy_load(path=STRATEGY_DIR / "fredericia.toml")
    ambassador = AmbassadorFactory()
    login = reverse(
        "ambassadors:ambassador-login", kwargs={"token": make_token(ambassador, "login")}
    )
    story_url = reverse("ambassadors:story-create")
    upload = jpeg(size=(120, 90))
    with (
        portal("one", tmp_path=tmp_path, endpoint=endpoint) as (one, media_one),
        portal("two", tmp_path=tmp_path, endpoint=endpoint) as (two, media_two),
    ):
        session = requests.Session()
        assert session.get(f"{one}{login}", timeout=30).status_code == 200
        form = session.get(f"{one}{story_url}", timeout=30).text
        form_key = re.search(r'name="form_key" value="([^"]+)"', form).group(1)
        response = session.post(
            f"{one}{story_url}",
            data={
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
                "form_key": form_key,
                "title": "Kaffe i varmestuen",
                "text": "Vi har fået en ny kaffemaskine.",
                "use": "both",
                "alt_1": "Den nye kaffemaskine",
                "people_consented": "on",
            },
            files={"picture_1": (upload.name, upload.read(), "image/jpeg")},
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 302, response.text[-2000:]
        picture = StoryPicture.objects.get()
        stored = s3.get_object(Bucket=BUCKET, Key=picture.image.name)["Body"].read()
        # The other machine, its media folder empty, serves it through the portal's own view,
        # which checks that the one asking is the sender (the story is not accepted yet).
        served = session.get(f"{two}{picture.get_absolute_url()}", timeout=30)
        assert served.status_code == 200
        assert served.content == stored and stored[:3] == b"\xff\xd8\xff"
        assert served.headers["Content-Type"] == "image/jpeg"
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        assert requests.get(f"{two}{picture.get_absolute_url()}", timeout=30).status_code == 404
    assert not any(media_one.rglob("*")) and not any(media_two.rglob("*"))
    # Stored private: no grant to everyone, so no bucket URL could serve it.
    acl = s3.get_object_acl(Bucket=BUCKET, Key=picture.image.name)
    assert not any(grant["Grantee"].get("URI", "").endswith("AllUsers") for grant in acl["Grants"])


def test_object_storage_without_a_bucket_refuses_to_start():
    from tests.test_settings import run_manage

    result = run_manage("check", DEBUG="1", MEDIA_STORAGE="s3", S3_BUCKET="")
    assert result.returncode != 0
    assert "MEDIA_STORAGE=s3 needs S3_BUCKET" in result.stderr
    assert "Traceback" not in result.stderr
