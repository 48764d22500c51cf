"""Fixtures of the outbox tests: the fake national portal, a portal-configured app, a Redis."""

import contextlib
import shutil
import subprocess
import time

import pytest
from redis import Redis
from redis.exceptions import RedisError

from tests import fake_portal
from tests.servers import free_port


@pytest.fixture
def portal():
    """A fake national portal on a free loopback port, for one test."""
    server = fake_portal.FakePortal().start()
    yield server
    server.stop()


def portal_config(url: str, **overrides) -> dict:
    return {
        "PORTAL_URL": url,
        "PORTAL_UNIT_CODE": fake_portal.UNIT,
        "PORTAL_USERNAME": fake_portal.USERNAME,
        "PORTAL_PASSWORD": fake_portal.PASSWORD,
        "PORTAL_TIMEOUT_SECONDS": 2,
        "OUTBOX_BACKOFF_SECONDS": 0.05,
        "OUTBOX_LEASE_SECONDS": 30,
        **overrides,
    }


@pytest.fixture
def app_config(portal):
    """Every test here talks to the fake portal (a test may change the dict first)."""
    return portal_config(portal.url)


class RedisServer:
    """Our own ``redis-server`` on a free port (the machine's shared one is left alone)."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.dir = tmp_path
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, RedisError):  # until it listens
                if Redis.from_url(self.url).ping():
                    return self
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self):
        self.stop()
        return self.start()


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server not installed")
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()
