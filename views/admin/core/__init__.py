"""The Flask-Admin adapter: secured bases, list rows, filters, exports, forms, pickers.

Everything of Flask-Admin 2.2.1 that is not its public API, and that the panel relies on, is
named here; tests/panel/test_flask_admin_fence.py fails when an upgrade removes or changes one.

Private names (``module.Class.name``; "set" for an attribute the class sets on its instances):
- ``flask_admin.base.BaseView._handle_view``: the one gate of every exposed route (base, screens).
- ``flask_admin.base.BaseView._template_args``: every page's remembered ``_gettext`` (fast_rows).
- ``flask_admin.model.base.BaseModelView._get_list_value``: one cell, kept rules (fast_rows).
- ``flask_admin.model.base.BaseModelView._get_field_value``: a cell's raw value (fast_rows).
- ``flask_admin.model.base.BaseModelView._column_choices_map`` (set): choices' labels (fast_rows).
- ``flask_admin.model.base.BaseModelView._get_filter_groups``: the filter menu, kept (base).
- ``flask_admin.model.base.BaseModelView._filters`` (set): filters named in an export (exports).
- ``flask_admin.model.base.BaseModelView._get_list_filter_args``: an export's filters (exports).
- ``flask_admin.model.base.BaseModelView._export_csv``: a BOM first, for Excel (exports).
- ``flask_admin.model.base.BaseModelView._create_ajax_loader``: scoped look-ups (base, ajax).
- ``flask_admin.contrib.sqla.view.ModelView._apply_search``: search on indexes (indexed_search).
- ``flask_admin.contrib.sqla.view.ModelView._apply_sorting``: the id after the order (dossiers).
- ``flask_admin.contrib.sqla.view.ModelView._apply_pagination``: deep pages by ids (dossiers).

Templates copied from ``flask_admin/templates/bootstrap4/`` and changed (the upstream file's
sha256 prefix at the time of the copy; templates/ holds ours):
- ``admin/actions.html`` 685288ebd910: menu items with data-model-action, no onclick.
- ``admin/static.html`` efbdfee9e7f4: static URLs made once per process.
- ``admin/model/inline_list_base.html`` 9385d36000f8: "Add" with data-inline-add, no onclick.
- ``admin/model/layout.html`` 9801f7f6e21b: no inline handlers, labelled search, page sizes.
- ``admin/model/row_actions.html`` 4dc1ade152ec: delete_row without an inline confirm.

Templates that extend Flask-Admin's override only blocks its templates define (checked too).
"""
