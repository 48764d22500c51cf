"""The postage price list IT staff keep: weight bands × within/outside the province."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired, NumberRange, Optional

from models.delivery import POSTAGE_ZONES
from views.admin.core.base import SecuredModelView
from views.admin.core.formatters import labelled, money_formatter


def weight_band_formatter(view, context, model, name):
    if model.up_to_grams is None:
        return _l("Each further 500 g")
    return _l("Up to %(grams)s g", grams=model.up_to_grams)


class PostageRateView(SecuredModelView):
    resource = "postage_rate"
    allow_delete = True  # a price line is configuration, not a record of public service
    column_list = ("zone", "up_to_grams", "price", "note")
    column_default_sort = [("zone", False), ("up_to_grams", False)]
    column_sortable_list = ("zone", "up_to_grams", "price")
    column_filters = ("zone",)
    column_labels = {
        "zone": _l("Zone"),
        "up_to_grams": _l("Weight band"),
        "price": _l("Postage"),
        "note": _l("Notes"),
    }
    column_descriptions = {
        "up_to_grams": _l(
            "Parcels up to this weight (grams); leave empty for the price of each "
            "further 500 g above the heaviest band."
        ),
    }
    column_choices = {"zone": POSTAGE_ZONES.choices()}
    column_formatters = {
        "zone": labelled(POSTAGE_ZONES),
        "price": money_formatter,
        "up_to_grams": weight_band_formatter,
    }

    def record_name(self, model) -> str:
        """``Ngoài tỉnh, đến 250 g`` (the row's own str() shows the stored zone code)."""
        band = weight_band_formatter(self, None, model, "up_to_grams")
        return f"{POSTAGE_ZONES.label(model.zone)}, {str(band).lower()}"

    form_columns = ("zone", "up_to_grams", "price", "note")
    form_choices = {"zone": POSTAGE_ZONES.choices()}
    form_args = {
        "zone": {"validators": [InputRequired()]},
        "up_to_grams": {"validators": [Optional(), NumberRange(min=1, max=30_000)]},
        "price": {"validators": [InputRequired(), NumberRange(min=0, max=10_000_000)]},
    }
