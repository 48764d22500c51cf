"""The panel's home page: the user's work queues and, with the report right, the figures."""

from flask_admin import AdminIndexView, expose
from flask_login import current_user

from views.access import deny, password_change_due
from views.admin.reports.dashboard import dashboard


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
        return self.render("admin/report/home.html", dashboard=dashboard(current_user))
