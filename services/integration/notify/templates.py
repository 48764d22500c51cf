"""Templates as data: fill the placeholders, check an SMS text, preview, seed the defaults.

A template's ``{name}`` placeholders come from ``models.notification_texts.PLACEHOLDERS``;
an SMS must be GSM-7 (so unaccented Vietnamese) and fit one 160-character segment with
every placeholder at its widest — the editor counts the same way in the browser.
"""

import re
from dataclasses import dataclass

from sqlalchemy import select

from extensions import db
from models.notification import EVENTS, NOTIFY_CHANNELS, NotificationTemplate
from models.notification_texts import PLACEHOLDER_NAMES, PLACEHOLDERS, default_row
from services.errors import ValidationFailed
from vietnam.sms import SEGMENT, gsm7_length, non_gsm7
from vietnam.text import unaccent

_FIELD = re.compile(r"\{([^{}]*)\}")
BODY_MAX = 4000
SUBJECT_MAX = 200
SAMPLE = {p.name: p.sample for p in PLACEHOLDERS}
SMS_WIDTH = {p.name: p.sms_width for p in PLACEHOLDERS}


@dataclass(frozen=True)
class Rendered:
    """A template filled in: what goes out."""

    template_id: int | None
    subject: str | None
    text: str
    provider_template: str | None
    params: dict[str, str]


def placeholders_in(text: str | None) -> list[str]:
    return _FIELD.findall(text or "")


def fill(text: str | None, values: dict[str, str]) -> str:
    """TEXT with each ``{name}`` replaced by VALUES[name] (unknown ones left out)."""
    return _FIELD.sub(lambda m: values.get(m.group(1), ""), text or "")


def sms_values(values: dict[str, str]) -> dict[str, str]:
    """VALUES as an SMS carries them: unaccented, each cut to its width."""
    return {k: unaccent(v)[: SMS_WIDTH.get(k, 40)] for k, v in values.items()}


def widest_sms(body: str) -> int:
    """BODY's GSM-7 length with every placeholder at its widest."""
    return gsm7_length(fill(body, {k: "x" * w for k, w in SMS_WIDTH.items()}))


def problems(channel: str, body: str | None, subject: str | None) -> dict[str, str]:
    """What is wrong with a template's text, field → Vietnamese message (empty: fine)."""
    found: dict[str, str] = {}
    body = body or ""
    if not body.strip():
        found["body"] = "Nội dung không được để trống."
    elif len(body) > BODY_MAX:
        found["body"] = f"Nội dung tối đa {BODY_MAX} ký tự."
    unknown = sorted(
        {n for n in placeholders_in(body) + placeholders_in(subject)} - set(PLACEHOLDER_NAMES)
    )
    if unknown:
        found["body"] = (
            "Trường thay thế không có: "
            + ", ".join("{" + n + "}" for n in unknown)
            + ". Dùng: "
            + ", ".join("{" + n + "}" for n in PLACEHOLDER_NAMES)
            + "."
        )
    if channel == "sms" and "body" not in found:
        bad = non_gsm7(_FIELD.sub("", body))
        if bad:
            found["body"] = (
                "Tin SMS phải viết không dấu (bảng chữ GSM-7); các ký tự không gửi được: "
                + " ".join(bad)
                + "."
            )
        elif (length := widest_sms(body)) > SEGMENT:
            found["body"] = (
                f"Tin SMS dài {length} ký tự khi các trường thay thế dài nhất, "
                f"quá {SEGMENT} ký tự của một tin."
            )
    if channel == "email":
        if not (subject or "").strip():
            found["subject"] = "Thư điện tử cần có tiêu đề."
        elif len(subject) > SUBJECT_MAX or "\n" in subject or "\r" in subject:
            found["subject"] = f"Tiêu đề một dòng, tối đa {SUBJECT_MAX} ký tự."
    return found


def check(channel: str, body: str | None, subject: str | None) -> None:
    """Raise ValidationFailed naming what is wrong with the template's text."""
    found = problems(channel, body, subject)
    if found:
        raise ValidationFailed(next(iter(found.values())), found)


def render(template: dict | None, event: str, channel: str, values: dict) -> Rendered:
    """The message of EVENT on CHANNEL from TEMPLATE's columns (``id``, ``subject``,
    ``body``, ``provider_template``), or from the default when there is no row."""
    row = template or {"id": None, **default_row(event, channel)}
    if channel == "sms":
        values = sms_values(values)
        text = fill(row["body"], values)[:SEGMENT]
    else:
        text = fill(row["body"], values)
    subject = fill(row["subject"], values) if row["subject"] else None
    return Rendered(row["id"], subject, text, row["provider_template"], dict(values))


def preview(channel: str, body: str | None, subject: str | None) -> dict:
    """What the editor shows: the sample message, its SMS length, the problems."""
    values = sms_values(SAMPLE) if channel == "sms" else SAMPLE
    text = fill(body, values)
    return {
        "text": text,
        "subject": fill(subject, values) if subject else None,
        "length": widest_sms(body or "") if channel == "sms" else len(text),
        "limit": SEGMENT if channel == "sms" else None,
        "problems": problems(channel, body, subject),
    }


def template_for(event: str, channel: str) -> NotificationTemplate | None:
    return db.session.scalar(
        select(NotificationTemplate).where(
            NotificationTemplate.event == event, NotificationTemplate.channel == channel
        )
    )


def ensure_defaults() -> int:
    """Add the default template of every event × channel not there yet; how many were added."""
    have = set(
        db.session.execute(select(NotificationTemplate.event, NotificationTemplate.channel)).all()
    )
    added = 0
    for event in EVENTS:
        for channel in NOTIFY_CHANNELS:
            if (event.value, channel) not in have:
                db.session.add(
                    NotificationTemplate(
                        event=event.value, channel=channel, **default_row(event.value, channel)
                    )
                )
                added += 1
    return added
