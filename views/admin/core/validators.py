"""WTForms validators over vietnam.validation: they normalise the field or explain why not.

A refusal stops the field's other checks (the column's length among them): the format's own
message says what is wrong, once. The inputs these validators guard carry a generous
``maxlength`` (``RELAXED_LENGTH``), so the browser never silently cuts what was typed or
scanned (a 13th character, ``+84 208 388 8999``): the server names the problem instead.
"""

from wtforms.validators import StopValidation

from vietnam.validation import (
    normalise_citizen_id,
    normalise_phone,
    normalise_tax_code,
    normalise_tracking_code,
)


def _normalising(normalise, doc):
    def validator(form, field):
        if not field.data:
            return
        try:
            field.data = normalise(field.data)
        except ValueError as exc:
            raise StopValidation(str(exc)) from exc

    validator.__doc__ = doc
    return validator


RELAXED_LENGTH = {"maxlength": 40}

citizen_id = _normalising(normalise_citizen_id, "A 12-digit citizen ID (CCCD).")
phone = _normalising(normalise_phone, "A Vietnamese phone number, stored as 0….")
tax_code = _normalising(normalise_tax_code, "A tax code with a valid check digit.")
tracking_code = _normalising(normalise_tracking_code, "A UPU S10 code, check digit verified.")
