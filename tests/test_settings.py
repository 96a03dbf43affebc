"""The settings module: production refuses to start half-configured and passes the deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**extra):
    return {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60 + "-a-long-random-production-secret-for-the-check",
        "ALLOWED_HOSTS": "portal.example.dk",
        "PORTAL_BASE_URL": "https://portal.example.dk",
        **extra,
    }


def test_without_secret_key_and_debug_off_the_portal_refuses_to_start():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_allowed_hosts_and_debug_off_the_portal_refuses_to_start():
    result = run_manage("check", DEBUG="0", SECRET_KEY="s" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_collects_static_files_with_hashed_names(tmp_path):
    result = run_manage("collectstatic", "--noinput", **production_env(STATIC_ROOT=str(tmp_path)))
    assert result.returncode == 0, result.stderr
    hashed = list((tmp_path / "css").glob("portal.*.css"))
    assert hashed, "expected a hashed portal.<hash>.css"
    assert (tmp_path / "staticfiles.json").exists()
    assert not (tmp_path / "css" / "portal.css").exists()  # only the hashed copy is kept
    # What the portal serves is there; ReDoc and the browsable API, which it never serves, not.
    assert list((tmp_path / "drf_spectacular_sidecar" / "swagger-ui-dist").glob("swagger-ui.*.css"))
    assert not (tmp_path / "drf_spectacular_sidecar" / "redoc").exists()
    assert not (tmp_path / "rest_framework").exists()


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("LANGUAGE_CODE", "da"),
        ("TIME_ZONE", "Europe/Copenhagen"),
    ],
)
def test_locale_settings(settings, setting, expected):
    assert getattr(settings, setting) == expected
    assert [code for code, _ in settings.LANGUAGES] == ["da", "en"]


def test_env_file_fills_gaps_but_real_environment_wins(tmp_path, monkeypatch):
    from udsathed.settings import load_env_file

    env_file = tmp_path / ".env"
    env_file.write_text(
        "# comment\nPORTAL_TEST_A=from-file\nPORTAL_TEST_B='quoted'\n\nnot a line\n"
    )
    monkeypatch.delenv("PORTAL_TEST_A", raising=False)
    monkeypatch.setenv("PORTAL_TEST_B", "from-environment")
    load_env_file(env_file)
    assert os.environ["PORTAL_TEST_A"] == "from-file"
    assert os.environ["PORTAL_TEST_B"] == "from-environment"
    monkeypatch.delenv("PORTAL_TEST_A")
    load_env_file(tmp_path / "missing.env")  # no file, no error


def test_development_links_follow_the_port_make_run_serves_on():
    """`PORT=8080 make run` serves on 8080, so the links in mails must point there too."""
    environment = {k: v for k, v in os.environ.items() if k != "PORTAL_BASE_URL"}
    code = (
        "from django.conf import settings; from django.urls import reverse; "
        "from udsathed.core.mail import absolute_url; "
        "print(settings.PORTAL_BASE_URL); print(absolute_url(reverse('networks:ball-create')))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**environment, "DEBUG": "1", "PORT": "8080"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    base, link = result.stdout.split()[-2:]
    assert base == "http://127.0.0.1:8080"
    assert link == "http://127.0.0.1:8080/bolde/send/"


def test_make_run_hands_its_port_to_the_portal():
    makefile = (ROOT / "Makefile").read_text()
    assert "export PORT" in makefile
