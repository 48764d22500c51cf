"""Thin command-line wrappers over the services (``flask --app app <command>``)."""

import os
import sys
import time

import click
from flask import current_app
from sqlalchemy import select

from demo.loadgen import generate_dossiers
from demo.seed import DEMO_PASSWORD_DEFAULT, seed_demo
from extensions import db
from models.user import User
from services.accounts.users import create_user
from services.delivery import webhooks
from services.dossiers import partitions as dossier_partitions
from services.errors import ServiceError
from services.integration import workers
from services.integration.notify import log as message_log
from services.integration.notify import templates as message_templates
from services.transactions import transaction


def register_commands(app) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(generate_data_command)
    app.cli.add_command(outbox_group)
    app.cli.add_command(webhooks_group)
    app.cli.add_command(digitize_pending_command)
    app.cli.add_command(notifications_group)
    app.cli.add_command(partitions_group)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no user yet.")
def seed_demo_command(if_empty):
    """Load the demo data (idempotent). Refused in production."""
    if current_app.config.get("APP_ENV") == "production":
        raise click.ClickException("seed-demo is refused when APP_ENV=production.")
    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("The database already has users; demo data not loaded.")
        return
    counts = seed_demo(password=os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD_DEFAULT)
    for table, count in counts.items():
        click.echo(f"{table:>16}: {count}")


@click.command("create-user")
@click.argument("username")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    help="Role name; repeat for several.",
)
@click.option("--agency", "agency_code", required=True, help="Code of the user's agency.")
@click.option("--full-name", default=None, help="Display name (defaults to the username).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(username, roles, agency_code, full_name, password_stdin):
    """Create an account; the password is prompted for, or read from stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with transaction():
            user = create_user(username, password, list(roles), agency_code, full_name=full_name)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Created user {user.username} ({', '.join(roles)}) in {agency_code}.")


@click.command("generate-data")
@click.option(
    "--dossiers",
    "count",
    type=click.IntRange(1, 100_000_000),
    required=True,
    help="How many dossiers to add.",
)
@click.option("--batch", type=click.IntRange(100, 1_000_000), default=50_000, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed.")
@click.option(
    "--days",
    type=click.IntRange(30, 3650),
    default=365,
    show_default=True,
    help="Receipts spread over this many days back.",
)
@click.option(
    "--years",
    type=click.IntRange(1, 10),
    default=None,
    help="Receipts spread over this many years back (instead of --days).",
)
def generate_data_command(count, batch, seed, days, years):
    """Add synthetic dossiers with their history, handovers and parcels (load tests,
    benchmarks); a second run adds more. Refused in production."""
    if current_app.config.get("APP_ENV") == "production":
        raise click.ClickException("generate-data is refused when APP_ENV=production.")
    if years is not None:
        days = years * 365
    started = time.monotonic()
    with Progress(count, label="Dossiers") as progress:
        done = generate_dossiers(
            count,
            batch=batch,
            seed=seed,
            days=days,
            cutoff=current_app.config["RECEIPT_CUTOFF"],
            progress=progress.update,
            note=click.echo,
        )
    click.echo(f"Added {done:,} dossiers in {time.monotonic() - started:.1f} s.")


NO_REDIS = "RQ_REDIS_URL is not set (nor a redis:// RATELIMIT_STORAGE_URI)."


@click.group("outbox")
def outbox_group():
    """The integration workers (national portal sync and later sinks)."""


@outbox_group.command("relay")
@click.option("--once", is_flag=True, help="Queue what is due now, then stop.")
def outbox_relay_command(once):
    """Claim due outbox rows and queue their deliveries on RQ (RQ_REDIS_URL)."""
    if not workers.redis_url(current_app.config):
        raise click.ClickException(NO_REDIS)
    queue = workers.queue(current_app.config)
    if once:
        click.echo(f"Queued {workers.relay_once(queue)} rows.")
        return
    click.echo(f"Relaying the outbox to RQ queue {queue.name!r}; Ctrl-C stops.")
    workers.relay_forever(queue)


@outbox_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def outbox_worker_command(burst):
    """Run an RQ worker for the outbox queue."""
    if not workers.redis_url(current_app.config):
        raise click.ClickException(NO_REDIS)
    workers.run_worker(current_app.config, burst=burst)


@outbox_group.command("deliver")
def outbox_deliver_command():
    """Deliver what is due now from this process (no Redis needed), then stop."""
    total = 0
    while claimed := workers.deliver_due():
        total += claimed
    click.echo(f"Delivered {total} rows.")


class Progress:
    """Click's bar on a terminal; elsewhere (logs, CI) a line every few seconds."""

    def __init__(self, total: int, label: str, every: float = 3.0):
        self.total, self.label, self.every = total, label, every
        self.done, self.started = 0, time.monotonic()
        self.last = self.started
        self.bar = click.progressbar(length=total, label=label) if sys.stdout.isatty() else None

    def __enter__(self):
        if self.bar:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        if self.bar:
            return self.bar.__exit__(*exc)
        self._line()
        return False

    def update(self, n: int) -> None:
        self.done += n
        if self.bar:
            self.bar.update(n)
        elif time.monotonic() - self.last >= self.every:
            self._line()

    def _line(self) -> None:
        self.last = now = time.monotonic()
        rate = self.done / max(now - self.started, 1e-9)
        left = (self.total - self.done) / rate if rate else 0
        click.echo(
            f"{self.label}: {self.done:,}/{self.total:,} ({100 * self.done // self.total}%), "
            f"{now - self.started:.0f} s, {rate:,.0f}/s, about {left:.0f} s left",
            nl=True,
        )


@click.group("webhooks")
def webhooks_group():
    """The carriers' webhook inbox."""


@webhooks_group.command("apply-pending")
@click.option("--limit", default=1000, show_default=True, help="Calls applied at most.")
def apply_pending_command(limit):
    """Apply the carrier calls stored but not applied yet (oldest event first)."""
    counts = webhooks.apply_pending(limit)
    for state in ("applied", "unapplied", "pending", "refused"):
        click.echo(f"{state}: {counts.get(state, 0)}")


@click.command("digitize-pending")
def digitize_pending_command():
    """Convert and sign every file still pending (after a restart lost its job); re-runnable."""
    from services.digitization.jobs import pending_ids, process

    done = failed = 0
    for file_id in pending_ids():
        try:
            process(file_id)
            done += 1
        except Exception as exc:
            click.echo(f"tệp {file_id}: {exc}", err=True)
            failed += 1
    click.echo(f"Đã số hóa {done} tệp; lỗi {failed}.")


@click.group("notifications")
def notifications_group():
    """Messages to applicants: the log's retention and the default templates."""


@notifications_group.command("purge")
@click.option("--days", type=int, default=None, help="Keep this many days (NOTIFICATION_LOG_DAYS).")
def notifications_purge_command(days):
    """Delete message-log rows older than NOTIFICATION_LOG_DAYS (run it daily from cron)."""
    with transaction():
        removed = message_log.purge(days=days)
    click.echo(f"Removed {removed} message-log rows.")


@notifications_group.command("ensure-templates")
def notifications_templates_command():
    """Add the default template of every event × channel that has none."""
    with transaction():
        added = message_templates.ensure_defaults()
    click.echo(f"Added {added} templates.")


@click.group("partitions")
def partitions_group():
    """The quarter partitions of the dossiers and their history (PostgreSQL)."""


@partitions_group.command("ensure")
@click.option(
    "--ahead",
    type=click.IntRange(0, 40),
    default=2,
    show_default=True,
    help="Quarters to create after this one.",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Also the quarters from this day's (YYYY-MM-DD) on.",
)
def partitions_ensure_command(ahead, since):
    """Create the missing quarter partitions, this quarter's to AHEAD quarters after it
    (run it daily from cron); nothing to do on SQLite."""
    if not dossier_partitions.postgres():
        click.echo("SQLite has no partitions: nothing to do.")
        return
    outcome = dossier_partitions.ensure(ahead=ahead, since=since.date() if since else None)
    click.echo(
        f"Created {len(outcome.created)} partitions{': ' if outcome.created else '.'}"
        + ", ".join(outcome.created)
    )
    for label in outcome.skipped:
        click.echo(
            f"Quarter {label}: its rows already wait in the default partition; left there.",
            err=True,
        )


@partitions_group.command("list")
def partitions_list_command():
    """Each partition with its bounds and its estimated rows."""
    for partition in dossier_partitions.listing():
        click.echo(f"{partition.name:<28} {partition.bounds:<60} ~{partition.rows:,} rows")
