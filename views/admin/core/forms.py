"""The form base of every panel screen: CSRF, messages in the user's language, clean text."""

from flask_admin.contrib.sqla.form import AdminModelConverter
from flask_admin.form import BaseForm, DatePickerWidget
from flask_admin.model.form import converts
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import DateField, PasswordField, StringField
from wtforms.validators import NumberRange

from i18n import WTFormsTranslations


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _range_in_browser(field_kwargs: dict) -> None:
    """A NumberRange validator also as the input's min/max: the browser refuses a negative
    count or fee before the server does."""
    for validator in field_kwargs.get("validators") or ():
        if isinstance(validator, NumberRange):
            limits = {"min": validator.min, "max": validator.max}
            render_kw = dict(field_kwargs.get("render_kw") or {})
            for name, value in limits.items():
                if value is not None:
                    render_kw.setdefault(name, value)
            field_kwargs["render_kw"] = render_kw


class TranslatedForm(BaseForm):
    """Flask-Admin's form base: Flask-WTF's CSRF token, messages in the user's language,
    text trimmed, control characters refused."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return WTFormsTranslations()

        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, StringField) and not issubclass(
                unbound_field.field_class, PasswordField
            ):
                options["filters"] = [*unbound_field.kwargs.get("filters", ()), _strip]
            _range_in_browser(unbound_field.kwargs)
            return super().bind_field(form, unbound_field, options)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and any(
                ord(c) < 32 and c not in "\t\n\r" for c in field.data
            ):
                field.errors = [*field.errors, _("Control characters are not allowed here.")]
                valid = False
        return valid


class InlineRowForm(TranslatedForm):
    """The form base of an inline list's rows (a procedure's documents): messages in the
    user's language as the page's, and no CSRF token of their own (the page's form has it)."""

    class Meta(TranslatedForm.Meta):
        csrf = False


class PanelModelConverter(AdminModelConverter):
    """Flask-Admin's form converter, with dates typed and shown as dd/mm/yyyy."""

    @converts("Date")
    def convert_date(self, field_args, **extra):  # the name of the method it replaces
        field_args.setdefault("widget", DatePickerWidget())
        field_args.setdefault("render_kw", {"data-date-format": "DD/MM/YYYY"})
        field_args["format"] = ["%d/%m/%Y", "%Y-%m-%d"]
        return DateField(**field_args)
