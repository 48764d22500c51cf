"""The panel's home page: the user's work queues and, with the report right, the figures."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_login import current_user

from models.base import utcnow
from services.dossiers.ratings import follow_ups
from services.errors import Forbidden, NotFound, ValidationFailed
from services.reporting import pages
from services.transactions import transaction
from views.access import deny, password_change_due
from views.admin.reports.dashboard import dashboard_shown
from views.admin.reports.work_queues import work_queue_links


def menu_cards(admin) -> list[tuple]:
    """The menu's categories with the entries the user may open: (name, [(name, url)])."""
    cards = []
    for item in admin.menu():
        children = item.get_children() if item.is_category() else ()
        if children:
            cards.append((item.name, [(child.name, child.get_url()) for child in children]))
    return cards


class SecuredIndexView(AdminIndexView):
    """The panel's home page: only for signed-in users."""

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and current_user.is_active

    def _handle_view(self, name, **kwargs):
        if not self.is_accessible():
            return deny()
        return password_change_due()

    @expose("/")
    def index(self):
        """Built by the reporting service in one call; the template only draws it.

        A counter tablet's account has no home but its rating screen."""
        if current_user.is_kiosk:
            return redirect(url_for("counter_rating.index"))
        home = pages.home(current_user, utcnow())
        return self.render(
            "admin/report/home.html",
            home=home,
            queues=work_queue_links(home.queues),
            dashboard=dashboard_shown(home.dashboard),
            menu=menu_cards(self.admin),
            follow_ups=home.follow_ups,
            source=home.source,
        )

    @expose("/follow-up/<int:rating_id>", methods=["POST"])
    def follow_up(self, rating_id: int):
        """A disliked rating called back or closed, with a note (audited)."""
        try:
            with transaction():
                follow_ups.advance(
                    current_user,
                    rating_id,
                    request.form.get("status", ""),
                    request.form.get("note"),
                    ip_address=request.remote_addr,
                )
        except Forbidden:
            abort(403)
        except NotFound:
            abort(404)
        except ValidationFailed as exc:
            flash(exc.message, "error")
            return redirect(url_for(".index"))
        flash("Đã ghi nhận xử lý phản ánh.", "success")
        return redirect(url_for(".index"))
