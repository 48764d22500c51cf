"""List rows drawn with less work: a page of 25–100 rows is the panel's busiest screen.

Flask-Admin draws each row's buttons through a macro and ``url_for`` per row and
translates the same titles again for every row; here the link buttons are drawn once
per page with a marker for the id, and each row only puts its id in. The whole table
body is one call per page; the cells are Flask-Admin's own values (``_get_list_value``).
"""

from urllib.parse import quote

from flask import g
from flask_admin import babel as admin_babel
from flask_admin.model.template import (
    EditPopupRowAction,
    EditRowAction,
    EndpointLinkRowAction,
    ViewPopupRowAction,
    ViewRowAction,
)
from jinja2 import pass_context
from markupsafe import Markup, escape

from i18n import per_language, remembered

#: Row actions whose HTML depends on the row's id alone (not on the row).
BY_ID_ONLY = (
    ViewRowAction,
    ViewPopupRowAction,
    EditRowAction,
    EditPopupRowAction,
    EndpointLinkRowAction,
)
ID_MARK = "rowidmark7f3a"
ADMIN_GETTEXT = remembered(admin_babel.gettext)


_TYPE_FORMATTERS: dict[tuple[int, type], tuple[dict, object]] = {}


def type_formatter(formatters: dict, kind: type):
    """The first of FORMATTERS (type → formatter) whose type KIND is an instance of,
    as Flask-Admin picks it, looked up once per type rather than once per cell."""
    key = (id(formatters), kind)
    kept = _TYPE_FORMATTERS.get(key)
    if kept is None or kept[0] is not formatters:  # (an id is unique while the dict lives)
        if len(_TYPE_FORMATTERS) > 10_000:
            _TYPE_FORMATTERS.clear()
        found = next((f for t, f in formatters.items() if issubclass(kind, t)), None)
        kept = _TYPE_FORMATTERS[key] = (formatters, found)
    return kept[1]


def columns_in_language(attribute: str):
    """A Flask-Admin (column, label) list attribute whose lazy labels are made text once
    per language, not again on every page (a details page has thirty of them)."""
    stored = "_lazy" + attribute

    def read(self):
        lazy = getattr(self, stored, None)
        if lazy is None:
            return None
        key = (id(self), attribute, id(lazy))  # set again, translated again
        return per_language(key, lambda: [(column, str(label)) for column, label in lazy])

    def write(self, value):
        setattr(self, stored, value)

    return property(read, write)


class FastRowsMixin:
    """``templates/admin/model/fast_list.html`` and the helpers it calls per row."""

    list_template = "admin/model/fast_list.html"
    _list_columns = columns_in_language("_list_columns")
    _details_columns = columns_in_language("_details_columns")

    def render(self, template, **kwargs):
        """Flask-Admin's render, its templates' ``_gettext`` remembering its answers."""
        self._template_args["_gettext"] = ADMIN_GETTEXT
        return super().render(template, **kwargs)

    def row_actions_html(self, context, actions, row):
        """The buttons of ROW: drawn once per page for each action that needs only
        the id, the id (URL-quoted, so also HTML-safe) put in."""
        pk = self.get_pk_value(row)
        drawn = g.setdefault("_row_actions", {})
        html = []
        for action in actions:
            if type(action) in BY_ID_ONLY:
                key = (id(self), id(action))
                if key not in drawn:
                    drawn[key] = str(action.render_ctx(context, ID_MARK, None))
                html.append(drawn[key].replace(ID_MARK, quote(str(pk), safe="")))
            else:
                html.append(str(action.render_ctx(context, pk, row)))
        return Markup("".join(html))  # noqa: S704  (pieces rendered by autoescaping macros)

    def _get_list_value(self, context, model, name, column_formatters, column_type_formatters):
        """Flask-Admin's value of a cell (column formatter, else the attribute; its
        choices; its type's formatter), the type's formatter found once per type."""
        formatter = column_formatters.get(name)
        if formatter is not None:
            value = formatter(self, context, model, name)
        else:
            value = self._get_field_value(model, name)
        choices = self._column_choices_map.get(name)
        if choices:
            return choices.get(value) or value
        formatter = type_formatter(column_type_formatters, type(value))
        return value if formatter is None else formatter(self, value, name)

    @pass_context
    def rows_html(self, context, rows, columns, with_checkbox, actions):
        """The table rows of ROWS as Flask-Admin's list draws them: a checkbox when
        WITH_CHECKBOX, the row buttons of ACTIONS, then each of COLUMNS ((name, label)
        pairs) with Flask-Admin's value of the cell, escaped unless a formatter made
        HTML. One call per page: no template block, macro or context per row."""
        value = self._get_list_value
        formatters, type_formatters = self.column_formatters, self.column_type_formatters
        # data-label: the column's name, shown before the value when a phone stacks the
        # cells of a row as a card (static/panel.css)
        starts = [
            (f'<td class="col-{escape(c)}" data-label="{escape(label)}">', c)
            for c, label in columns
        ]
        checkbox = (
            '<td><input type="checkbox" name="rowid" class="action-checkbox" value="{}" title="'
            + str(escape(ADMIN_GETTEXT("Select record"))).replace("{", "{{").replace("}", "}}")
            + '" /></td>'
            if with_checkbox
            else None
        )
        buttons = self.column_display_actions
        html = []
        for row in rows:
            html.append("<tr>")
            if checkbox is not None:
                html.append(checkbox.format(escape(self.get_pk_value(row))))
            if buttons:
                html.append('<td class="list-buttons-column">')
                html.append(self.row_actions_html(context, actions, row))
                html.append("</td>")
            for start, c in starts:
                html.append(start)
                # every value passed through escape (a formatter's HTML is Markup already)
                html.append(escape(value(context, row, c, formatters, type_formatters)))
                html.append("</td>")
            html.append("</tr>\n")
        return Markup("".join(html))  # noqa: S704  (escaped pieces, see above)

    @pass_context
    def details_rows_html(self, context, model, columns, skip_prefix=None):
        """MODEL's details page table: a row (label, value) per column of COLUMNS but
        those named SKIP_PREFIX…, values as Flask-Admin's details page shows them."""
        rows = (
            (escape(label), escape(self.get_detail_value(context, model, c)))
            for c, label in columns
            if not (skip_prefix and c.startswith(skip_prefix))
        )
        # labels and values passed through escape (a formatter's HTML is Markup already)
        return Markup(  # noqa: S704
            "".join(
                f'<tr><th class="w-25">{label}</th><td>{value}</td></tr>' for label, value in rows
            )
        )
