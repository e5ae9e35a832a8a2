"""A throwaway PostgreSQL server for the test session, from the binaries on this machine.

`.ci/run` installs Debian's `postgresql` package; no system service is used: the server
runs from a temporary data folder on a unix socket in that folder, with trust auth, and
is stopped and deleted at the end. As root it runs as the `postgres` system user, since
PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

SUPERUSER = "crosswire"


def find_bindir() -> Path | None:
    """`$CROSSWIRE_PG_BINDIR`, else the folder of `pg_ctl` on PATH, else Debian's newest
    `/usr/lib/postgresql/N/bin` (the package puts nothing on PATH)."""
    if env := os.environ.get("CROSSWIRE_PG_BINDIR"):
        return Path(env)
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).resolve().parent
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")]
    found = [d for d in found if (d / "initdb").exists()]

    def version(d: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in d.parent.name.split(".") if x.isdigit())

    return max(found, key=version) if found else None


def _run_as() -> dict[str, Any]:
    """subprocess arguments that drop root to a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return {}
    for name in ("postgres", "nobody"):
        try:
            user = pwd.getpwnam(name)
        except KeyError:
            continue
        return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    raise RuntimeError("running as root and no 'postgres' (or 'nobody') user to run PostgreSQL")


@dataclass
class Server:
    root: Path
    bindir: Path
    _ids: Iterator[int]

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@/postgres?host={self.root}"

    @contextmanager
    def database(self) -> Iterator[str]:
        """A fresh, empty database for one test; dropped afterwards."""
        name = f"t{next(self._ids)}"
        admin = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f"CREATE DATABASE {name}")
            yield f"postgresql+psycopg://{SUPERUSER}@/{name}?host={self.root}"
            with admin.connect() as conn:
                # a test's engine may still hold pooled connections
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            admin.dispose()


@contextmanager
def server(bindir: Path) -> Iterator[Server]:
    # Under /tmp rather than pytest's tmp_path: the `postgres` user must reach it (pytest's
    # folders are private to root), and a unix socket path must stay under 108 bytes.
    root = Path(tempfile.mkdtemp(prefix="cw-pg-"))
    run_as = _run_as()
    try:
        if run_as:
            os.chown(root, run_as["user"], run_as["group"])
        data = root / "data"

        def pg(tool: str, *args: str) -> None:
            proc = subprocess.run(
                [str(bindir / tool), *args],
                cwd=root,
                capture_output=True,
                text=True,
                timeout=120,
                **run_as,
            )
            if proc.returncode != 0:
                log = root / "server.log"
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                raise RuntimeError(f"{tool} failed: {proc.stdout}{proc.stderr}{tail}")

        # A linguistic collation, as most servers have (en_US.UTF-8 or ICU), not C: the
        # store must give SQLite's order whatever the server's collation ("-" sorts
        # before "+" here, after it in C).
        pg(
            "initdb",
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--locale-provider=icu",
            "--icu-locale=en-US",
            "--no-sync",
        )
        # no TCP at all (nothing to collide with another server's port); fsync off, as
        # the data folder is deleted anyway
        options = f"-c listen_addresses='' -k {root} -c fsync=off -c full_page_writes=off"
        log = str(root / "server.log")
        pg("pg_ctl", "start", "-w", "-t", "60", "-D", str(data), "-l", log, "-o", options)
        try:
            yield Server(root, bindir, itertools.count())
        finally:
            pg("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(data))
    finally:
        shutil.rmtree(root, ignore_errors=True)
