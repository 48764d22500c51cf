"""TEMPORARY RUNNER: runs ``jobs.process`` in a background thread of the app process.

This whole module is the stand-in for the outbox's RQ workers (built on another branch):
at the merge, ``run_later`` becomes one outbox enqueue of ``jobs.process(file_id)`` and
this thread goes away. Callers invoke it only after their transaction has committed.
"""

import logging
import threading

from flask import current_app

from extensions import db
from services.digitization import jobs

log = logging.getLogger(__name__)


def run_later(file_ids) -> list[threading.Thread]:
    """Process FILE_IDS in the background (one thread for them all), after the commit."""
    ids = [i for i in file_ids if i is not None]
    app = current_app._get_current_object()
    if not ids or not app.config.get("DIGITIZATION_THREAD", True):
        return []
    thread = threading.Thread(target=_work, args=(app, ids), name="digitize", daemon=True)
    thread.start()
    app.extensions.setdefault("digitization_threads", []).append(thread)
    return [thread]


def _work(app, ids) -> None:
    with app.app_context():
        for file_id in ids:
            try:
                jobs.process(file_id)
            except Exception:
                log.exception("digitizing file %s failed", file_id)
            finally:
                db.session.remove()


def wait(app, timeout: float = 30.0) -> None:
    """Wait for APP's background jobs to finish (tests and the benchmark)."""
    for thread in app.extensions.get("digitization_threads", []):
        thread.join(timeout)
    app.extensions["digitization_threads"] = []
