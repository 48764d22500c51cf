"""The command line: seed-demo and create-user."""

from sqlalchemy import func, select

from demo.seed import DEMO_PASSWORD_DEFAULT, counts
from extensions import db
from models import STATUSES, Dossier, DossierFile, User
from models.delivery import DeliveryOrder, order_search_text
from services.digitization import store


def test_seed_demo_twice_gives_the_same_counts(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    after_first = counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert counts() == after_first
    assert after_first["dossier"] >= 200
    assert after_first["app_user"] == 8  # the seven demo logins and the counter tablet


def test_seed_demo_digitizes_a_few_dossiers_for_the_files_card_and_the_store(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    rows = db.session.scalars(select(DossierFile).order_by(DossierFile.id)).all()
    assert len(rows) >= 4
    assert {(r.state, r.pages, r.kind) for r in rows} == {("ready", 1, "document")}
    dossier = rows[0].dossier
    offered = store.offers(dossier.applicant_id_number, dossier.procedure_type)
    assert {o.file_id for o in offered} <= {r.id for r in rows} and offered


def test_seed_demo_covers_every_status_and_demo_logins_work(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    present = set(db.session.scalars(select(Dossier.status).distinct()))
    assert present == set(STATUSES)
    client = app.test_client()
    for username in ("it_admin", "dept_admin", "po_supervisor", "po_clerk", "viewer"):
        response = client.post(
            "/login", data={"username": username, "password": DEMO_PASSWORD_DEFAULT}
        )
        assert response.status_code == 302, username
        assert "Xin chào" in client.get("/admin/").get_data(as_text=True)
        client.post("/logout")


def test_seed_demo_if_empty_leaves_a_used_database_alone(runner, world):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert db.session.scalar(select(func.count(Dossier.id))) == 0


def test_seed_demo_is_refused_in_production(runner, app):
    app.config["APP_ENV"] = "production"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "refused" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_user_reads_the_password_from_stdin(app, runner, world):
    result = runner.invoke(
        args=[
            "create-user",
            "clerk3",
            "--role",
            "po_clerk",
            "--agency",
            "VNP.H55.002",
            "--password-stdin",
        ],
        input="a-strong-password-9\n",
    )
    assert result.exit_code == 0, result.output
    client = app.test_client()
    response = client.post("/login", data={"username": "clerk3", "password": "a-strong-password-9"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "clerk3"))
    assert user.agency.code == "VNP.H55.002"
    assert user.role_names == {"po_clerk"}


def test_create_user_prompts_for_the_password(runner, world):
    result = runner.invoke(
        args=["create-user", "viewer2", "--role", "viewer", "--agency", "000.00.00.H55"],
        input="another-good-pass\nanother-good-pass\n",
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.id).where(User.username == "viewer2"))


def test_create_user_refuses_bad_input_with_a_clear_message(runner, world):
    cases = [
        (["po_clerk", "--role", "po_clerk", "--agency", "VNP.H55.001"], "đã có"),
        (["newbie", "--role", "janitor", "--agency", "VNP.H55.001"], "Vai trò phải là"),
        (["newbie", "--role", "po_clerk", "--agency", "NOPE"], "Không có cơ quan"),
    ]
    for args, message in cases:
        result = runner.invoke(
            args=["create-user", *args, "--password-stdin"], input="long-enough-pass\n"
        )
        assert result.exit_code != 0
        assert message in result.output
    short = runner.invoke(
        args=[
            "create-user",
            "newbie",
            "--role",
            "po_clerk",
            "--agency",
            "VNP.H55.001",
            "--password-stdin",
        ],
        input="short\n",
    )
    assert short.exit_code != 0
    assert "ít nhất 10 ký tự" in short.output
    assert db.session.scalar(select(User.id).where(User.username == "newbie")) is None


def test_generate_data_adds_dossiers_with_unique_gap_free_codes(runner):
    result = runner.invoke(args=["generate-data", "--dossiers", "1200", "--batch", "500"])
    assert result.exit_code == 0, result.output
    assert "Added 1,200 dossiers" in result.output
    rows = db.session.execute(select(Dossier.code, Dossier.search_text)).all()
    assert len(rows) == 1200
    by_day: dict[str, list[int]] = {}
    for code, search_text in rows:
        prefix, _, seq = code.rpartition("-")
        by_day.setdefault(prefix, []).append(int(seq))
        assert code.lower() in search_text
    for seqs in by_day.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))
    # Their parcels are searchable as the panel's own would be (models.delivery)
    orders = db.session.scalars(select(DeliveryOrder)).all()
    assert orders
    for order in orders:
        expected = order_search_text(
            order.tracking_code, order.recipient_name, order.recipient_phone
        )
        assert order.search_text == expected
    # Each records its checklist as a receipt does: the procedure's documents, in order.
    dossier = db.session.scalar(select(Dossier).order_by(Dossier.id.desc()).limit(1))
    assert dossier.documents_checked == [d.name for d in dossier.procedure_type.documents]
    assert dossier.documents_checked
    # The counters know: the next receipt of any of those days continues the sequence.
    again = runner.invoke(args=["generate-data", "--dossiers", "300", "--seed", "8"])
    assert again.exit_code == 0, again.output
    codes = db.session.scalars(select(Dossier.code)).all()
    assert len(codes) == len(set(codes)) == 1500


def test_generate_data_spreads_receipts_over_the_years_asked(runner):
    result = runner.invoke(args=["generate-data", "--dossiers", "600", "--years", "3"])
    assert result.exit_code == 0, result.output
    oldest, newest = db.session.execute(
        select(func.min(Dossier.received_at), func.max(Dossier.received_at))
    ).one()
    assert (newest - oldest).days > 2 * 365  # three years back, not the default one
    assert runner.invoke(args=["generate-data", "--dossiers", "1", "--years", "0"]).exit_code != 0


def test_generate_data_is_refused_in_production(runner, app):
    app.config["APP_ENV"] = "production"
    result = runner.invoke(args=["generate-data", "--dossiers", "10"])
    assert result.exit_code != 0 and "refused" in result.output


def test_partitions_ensure_says_what_it_did(app, runner):
    """On SQLite there is nothing to partition; on PostgreSQL a second run creates nothing
    (tests/scale/test_partitions.py shows what the partitions hold)."""
    first = runner.invoke(args=["partitions", "ensure"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["partitions", "ensure"])
    if db.engine.dialect.name == "sqlite":
        assert "SQLite has no partitions" in again.output
    else:
        assert again.output.startswith("Created 0 partitions.")
    listed = runner.invoke(args=["partitions", "list"])
    assert listed.exit_code == 0
