"""The form base of every panel screen: CSRF, messages in the user's language, clean text."""

from flask_admin.form import BaseForm
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from i18n import WTFormsTranslations


def _strip(value):
    return value.strip() if isinstance(value, str) else value


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
