"""The sinks, one record each: a new destination (SMS, e-mail, a converter) is one entry.

``deliver(batch)`` returns an outcome (``services.integration.outbox``); ``coalesce``
groups a dossier's due rows into one delivery; ``enabled(config)`` says whether the
sink is configured (an unconfigured sink gets no rows); ``events`` names what writes
its rows: ``history`` (every dossier history row), ``parcel`` (every parcel event),
``export`` (every heavy download asked for), ``scan`` (every file uploaded to digitize),
``carrier`` (every carrier webhook call stored),
``notify`` (a history step the applicant is told of, once per channel they chose).
"""

from collections.abc import Callable
from dataclasses import dataclass

from models.vocabulary import N_
from services.integration import local_jobs, portal
from services.integration.notify import deliver as notify


@dataclass(frozen=True)
class Sink:
    name: str
    vi: str
    msgid: str
    deliver: Callable
    coalesce: bool
    enabled: Callable[[dict], bool]
    events: frozenset[str]


SINKS = (
    Sink(
        name=portal.SINK,
        vi="Cổng Dịch vụ công quốc gia",
        msgid=N_("National public-service portal"),
        deliver=portal.deliver,
        coalesce=True,
        enabled=portal.enabled,
        events=frozenset({"history", "parcel"}),
    ),
    Sink(
        name=local_jobs.EXPORT_SINK,
        vi="Tệp báo cáo tải về",
        msgid=N_("Report downloads"),
        deliver=local_jobs.deliver_exports,
        coalesce=False,
        enabled=local_jobs.always,
        events=frozenset({"export"}),
    ),
    Sink(
        name=local_jobs.DIGITIZE_SINK,
        vi="Số hóa tệp tải lên",
        msgid=N_("Scans to digitize"),
        deliver=local_jobs.deliver_scans,
        coalesce=False,
        enabled=local_jobs.always,
        events=frozenset({"scan"}),
    ),
    Sink(
        name=local_jobs.CARRIER_SINK,
        vi="Sự kiện bưu gửi từ đơn vị vận chuyển",
        msgid=N_("Carrier parcel events"),
        deliver=local_jobs.deliver_carrier_calls,
        coalesce=True,  # no dossier: a claim's calls go as one batch, one batch at a time
        enabled=local_jobs.always,
        events=frozenset({"carrier"}),
    ),
    Sink(
        name=notify.SINKS["sms"],
        vi="Tin nhắn SMS cho người nộp",
        msgid=N_("SMS to applicants"),
        deliver=notify.deliver_sms,
        coalesce=False,
        enabled=notify.always,
        events=frozenset({"notify"}),
    ),
    Sink(
        name=notify.SINKS["email"],
        vi="Thư điện tử cho người nộp",
        msgid=N_("Email to applicants"),
        deliver=notify.deliver_email,
        coalesce=False,
        enabled=notify.always,
        events=frozenset({"notify"}),
    ),
    Sink(
        name=notify.SINKS["zalo"],
        vi="Tin Zalo cho người nộp",
        msgid=N_("Zalo to applicants"),
        deliver=notify.deliver_zalo,
        coalesce=False,
        enabled=notify.always,
        events=frozenset({"notify"}),
    ),
)
BY_NAME = {sink.name: sink for sink in SINKS}


def enabled_sinks(config) -> list[Sink]:
    return [sink for sink in SINKS if sink.enabled(config)]
