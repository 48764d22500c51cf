"""The outbox's relay and RQ worker as real processes (``flask --app app outbox ...``)."""

import os
import signal
import subprocess
from pathlib import Path

from tests import fake_portal

ROOT = Path(__file__).resolve().parent.parent.parent
FLASK = ROOT / ".venv" / "bin" / "flask"


def outbox_env(database_url: str, portal_url: str, redis_url: str, queue: str, **extra) -> dict:
    env = {
        **os.environ,
        "APP_ENV": "development",
        "SECRET_KEY": "outbox-test-" + "x" * 40,
        "DATABASE_URL": database_url,
        "PORTAL_URL": portal_url,
        "PORTAL_UNIT_CODE": fake_portal.UNIT,
        "PORTAL_USERNAME": fake_portal.USERNAME,
        "PORTAL_PASSWORD": fake_portal.PASSWORD,
        "PORTAL_TIMEOUT_SECONDS": "5",
        "RQ_REDIS_URL": redis_url,
        "RQ_QUEUE": queue,
        "OUTBOX_BACKOFF_SECONDS": "0.2",
        "PYTHONUNBUFFERED": "1",
        **{k: str(v) for k, v in extra.items()},
    }
    env.pop("TEST_DATABASE_URL", None)
    return env


class Outboxer:
    """One ``flask outbox <command>`` process."""

    def __init__(self, command: list[str], env: dict, log: Path):
        self.log = log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
            [str(FLASK), "--app", "app", "outbox", *command],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL: no clean-up, as a crash or the OOM killer would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()

    def wait(self, timeout: float) -> int:
        code = self.process.wait(timeout=timeout)
        self.log.close()
        return code
