"""Work the outbox hands to our own workers rather than to an outside system: heavy
downloads, the conversion and signing of uploaded scans, and the carriers' webhook calls.

A heavy download (services.reporting.exports) is asked for in the user's transaction; the
listener writes its outbox row beside it, and a worker makes the file here. A file that
fails says so on its own row (the user sees why and may ask again): the outbox row ends
dead at once rather than retrying a failure that would repeat. A worker killed half-way
leaves the file unfinished and its row leased: the lease ends, the row is due again, and
the file is made over from the start.
"""

from extensions import db
from services.delivery import webhooks
from services.digitization import jobs as digitization_jobs
from services.integration.outbox import Batch, Done, Outcome, Terminal
from services.reporting import exports

EXPORT_SINK = "report_export"
DIGITIZE_SINK = "digitize"
CARRIER_SINK = "carrier_inbox"


def deliver_exports(batch: Batch) -> Outcome:
    """Make the file of each row (one per row: this sink does not coalesce)."""
    for row in batch.rows:
        export_id = (row.payload or {}).get("export_id")
        if not isinstance(export_id, int):
            return Terminal("Thiếu mã tệp cần tạo.")
        try:
            exports.make(export_id)
        except Exception as exc:  # marked failed on its own row by make()
            db.session.rollback()
            return Terminal(f"Không tạo được tệp {export_id}: {type(exc).__name__}")
    return Done()


def deliver_scans(batch: Batch) -> Outcome:
    """Convert, sign and store each uploaded file (services.digitization.jobs.process: it
    may run again on the same file, and a failure is marked on the file's own row)."""
    for row in batch.rows:
        file_id = (row.payload or {}).get("file_id")
        if not isinstance(file_id, int):
            return Terminal("Thiếu mã tệp cần số hóa.")
        try:
            digitization_jobs.process(file_id)
        except Exception as exc:
            db.session.rollback()
            return Terminal(f"Không số hóa được tệp {file_id}: {type(exc).__name__}")
    return Done()


def deliver_carrier_calls(batch: Batch) -> Outcome:
    """Apply the stored carrier calls of the batch, oldest event first (the request only
    stored them). An unexpected failure retries the whole batch: calls applied already
    are left as they are the second time."""
    ids = [(row.payload or {}).get("inbox_id") for row in batch.rows]
    if not all(isinstance(i, int) for i in ids):
        return Terminal("Thiếu mã lần gọi webhook cần áp dụng.")
    webhooks.apply_calls(ids)
    return Done()


def always(_config) -> bool:
    """Our own jobs need no configuration."""
    return True
