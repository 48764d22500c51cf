"""The digitization figures (4.2, 4.3, 4.4) against hand-counted cases: a result's e-copy,
a procedure that asks for no document, the files of one dossier counted once."""

from datetime import timedelta

from sqlalchemy import delete, select

from extensions import db
from models.base import utcnow
from models.catalog import RequiredDocument
from models.digitization import DossierFile
from services.digitization import figures
from tests import factories


def _files(dossier, *documents, result=False, reused_from=None):
    for name in documents:
        db.session.add(
            DossierFile(
                dossier_id=dossier.id,
                document=name,
                state="ready",
                raw_type="x",
                reused_from_id=reused_from,
            )
        )
    if result:
        result_file = DossierFile(dossier_id=dossier.id, kind="result", document="Kết quả")
        result_file.state, result_file.raw_type = "ready", "x"
        db.session.add(result_file)
    db.session.flush()


def _completed(dossier):
    dossier.completed_at = utcnow()
    return dossier


def test_each_rule_of_the_rates_counted_by_hand(world):
    clerk = world.users["po_clerk"]
    publish, nothing = world.procedures["publish"], world.procedures["karaoke"]
    db.session.execute(delete(RequiredDocument).where(RequiredDocument.procedure_type_id ==
                                                      nothing.id))  # fmt: skip
    names = db.session.scalars(
        select(RequiredDocument.name).where(RequiredDocument.procedure_type_id == publish.id)
    ).all()
    assert names  # the procedure asks for documents
    make = factories.make_dossier
    full_with_result = _completed(make(publish, clerk, applicant="A"))
    _files(full_with_result, *names, names[0], result=True)  # a document twice counts once
    full_no_result = _completed(make(publish, clerk, applicant="B"))
    _files(full_no_result, *names)
    short = make(publish, clerk, applicant="C")
    _files(short, *names[:-1])  # one document short (none at all, if only one is asked)
    first = db.session.scalar(select(DossierFile.id).order_by(DossierFile.id))
    reusing = make(publish, clerk, applicant="D")
    _files(reusing, *names, reused_from=first)
    open_nothing = make(nothing, clerk, applicant="E")  # asks nothing, unfinished: digitized
    done_nothing_result = _completed(make(nothing, clerk, applicant="F"))
    _files(done_nothing_result, result=True)
    _completed(make(nothing, clerk, applicant="G"))  # finished, no e-result: not digitized
    db.session.commit()
    day = open_nothing.received_at.date()
    values = figures.rates(None, day - timedelta(days=1), day + timedelta(days=1))
    # digitized: A (all + e-result), D (all, unfinished), E, F; not B (no e-result), C, G.
    assert (values["received"], values["digitized"], values["reused"]) == (7, 4, 1)
    assert (values["completed"], values["e_results"]) == (4, 2)
    assert values["e_result_rate"] == 0.5
    by = {row["key"]: row for row in figures.rates(None, day, day, by="procedure")}
    assert (by[publish.id]["received"], by[publish.id]["digitized"]) == (4, 2)
    assert (by[nothing.id]["received"], by[nothing.id]["digitized"]) == (3, 2)
    assert (by[nothing.id]["completed"], by[nothing.id]["e_results"]) == (2, 1)
    one = figures.rates(None, day, day, procedure_id=nothing.id)
    assert (one["received"], one["digitized"], one["reused"]) == (3, 2, 0)
