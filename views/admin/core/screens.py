"""The secured base for panel screens that are not model lists (dashboard, reports, queues).

Same rules as the model screens: login, the permission matrix per route, the
password change first, and every ``@expose``d method mapped to an action in
``route_actions`` — a method left out is closed.
"""

from flask_admin import BaseView
from flask_login import current_user

import permissions
from views.access import deny, gate


class SecuredScreen(BaseView):
    #: The permission resource (a name from permissions.RESOURCES).
    resource: str = ""
    #: Exposed method name → the action it needs on ``resource``.
    route_actions: dict[str, str] = {"index": "view"}

    def __init__(self, **kwargs):
        if not self.resource:
            raise TypeError(f"{type(self).__name__} must name its permission resource")
        super().__init__(**kwargs)

    def allows(self, action: str) -> bool:
        return permissions.can(current_user, self.resource, action)

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and self.allows("view")

    def is_visible(self) -> bool:
        return self.is_accessible()

    def inaccessible_callback(self, name, **kwargs):
        return deny()

    def _handle_view(self, name, **kwargs):
        return gate(self.resource, self.route_actions.get(name))
