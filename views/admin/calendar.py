"""The working-calendar screen: provincial overrides, the appointment calculator, the year."""

from datetime import date, datetime

from flask import current_app, request
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.validators import InputRequired

from services.calendar import LOCAL_TZ, due_date_for, parse_cutoff, year_exceptions
from vietnam.dates import parse_day, parse_hour
from views.admin.core.base import SecuredModelView

WEEKDAYS = (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"), _l("Sat"), _l("Sun"))


class CalendarOverrideView(SecuredModelView):
    """Provincial overrides, with the appointment calculator and the year's exceptions."""

    resource = "holiday"
    route_actions = {"calculator_view": "view", "year_view": "view"}
    list_template = "admin/calendar/list.html"
    allow_delete = True
    column_list = ("day", "is_working", "name", "created_by", "created_at")
    column_default_sort = ("day", True)
    column_filters = ("day", "is_working")
    column_searchable_list = ("name",)
    column_labels = {
        "day": _l("Date"),
        "is_working": _l("Working day"),
        "name": _l("Reason or decision"),
        "created_by": _l("Added by"),
        "created_at": _l("Added at"),
    }
    column_descriptions = {
        "is_working": _l("Ticked: a make-up working day; unticked: a day off"),
    }
    form_columns = ("day", "is_working", "name")
    form_args = {"day": {"validators": [InputRequired()]}}

    def prepare(self, form, model, is_created):
        if is_created:
            model.created_by_id = current_user.id

    @expose("/calculator/")
    def calculator_view(self):
        """From a date and time, N working days → the appointment, by the receipt rules."""
        args, result, error = request.args, None, None
        if args.get("start_date"):
            try:
                start = datetime.combine(
                    parse_day(args["start_date"]),
                    parse_hour(args.get("start_time") or "08:00"),
                    tzinfo=LOCAL_TZ,
                )
                days = int(args.get("days", "0"))
                if not 0 <= days <= 365:
                    raise ValueError
            except ValueError:
                error = _("Enter a valid date, time and a number of days from 0 to 365.")
            else:
                cutoff = parse_cutoff(current_app.config["RECEIPT_CUTOFF"])
                clock, due = due_date_for(start, days, cutoff)
                result = {"start": start, "clock": clock, "due": due, "days": days}
        return self.render(
            "admin/calendar/calculator.html",
            result=result,
            error=error,
            args=args,
            cutoff=current_app.config["RECEIPT_CUTOFF"],
        )

    def weekday(self, day: date) -> str:
        return str(WEEKDAYS[day.weekday()])

    @expose("/year/")
    def year_view(self):
        """The year's public holidays, days off, make-up Saturdays and overrides."""
        today = datetime.now(LOCAL_TZ).date()
        year = request.args.get("year", type=int) or today.year
        year = min(max(year, 2000), 2100)
        return self.render("admin/calendar/year.html", year=year, days=year_exceptions(year))
