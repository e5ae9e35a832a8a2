"""The web tests' shared parts: a store built once from examples/corpus, copies of it
for tests that write, and uvicorn serving an app for real on a free loopback port.

Test modules import the fixtures they use (`from web_server import corpus_db, ...`);
pytest finds them there, and the session-scoped ones are built once for all modules.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from crosswire import pipeline
from crosswire.store import Store
from crosswire.web import create_app

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"
DOCS = ROOT / "docs"
CONTRACT = ROOT.parent / "shared" / "contract" / "report.schema.json"
TOKEN = "test-token-0123456789abcdef"


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """APP served by uvicorn on 127.0.0.1 (a port the OS picks), in a thread; yields
    its base URL and stops it afterwards."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store of examples/corpus, analyzed once for the session (the corpus
    holds two broken inputs on purpose: they are errors, the rest is stored)."""
    path = tmp_path_factory.mktemp("web-corpus") / "corpus.db"
    store = Store(f"sqlite:///{path}")
    try:
        pipeline.analyze([CORPUS], store=store)
    finally:
        store.close()  # the last connection closing folds the WAL into the file
    return path


def copy_db(source: Path, target_dir: Path, name: str) -> str:
    target = target_dir / name
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"


@dataclass(frozen=True)
class Site:
    base: str  # http://127.0.0.1:PORT
    db: str  # the store URL behind it


@pytest.fixture(scope="session")
def site(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A server over a copy of the corpus store, no token (loopback). Tests do not
    write through it, so every test sees the corpus as analyzed."""
    url = copy_db(corpus_db, tmp_path_factory.mktemp("web-site"), "site.db")
    with serving(create_app(url)) as base:
        yield Site(base, url)


@pytest.fixture(scope="module")
def writable(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A server over a fresh copy of the corpus store for one module, with a token."""
    url = copy_db(corpus_db, tmp_path_factory.mktemp("web-writable"), "writable.db")
    with serving(create_app(url, token=TOKEN, max_body=256 * 1024)) as base:
        yield Site(base, url)
