"""The map's georeference in the control panel's add and edit forms: the image's
north-west and south-east corners as four numbers (decimal degrees, WGS 84).

All four empty: no georeference (on the edit form: remove it). Some given: the service's
check (``settings.clean_georef``) names what is missing or wrong, as the API does.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FloatField
from wtforms.validators import NumberRange, Optional

CORNER_FIELDS = ("georef_north", "georef_west", "georef_south", "georef_east")


class GeorefFields:
    """Mixed into ``ActivityForm`` and ``ActivityEditForm`` (both wtforms forms)."""

    georef_north = FloatField(
        _l("Top edge: latitude"), validators=[Optional(), NumberRange(-90, 90)]
    )
    georef_west = FloatField(
        _l("Left edge: longitude"), validators=[Optional(), NumberRange(-180, 180)]
    )
    georef_south = FloatField(
        _l("Bottom edge: latitude"), validators=[Optional(), NumberRange(-90, 90)]
    )
    georef_east = FloatField(
        _l("Right edge: longitude"), validators=[Optional(), NumberRange(-180, 180)]
    )

    def georef(self) -> dict | None:
        """``{"top_left": {lat, lon}, "bottom_right": {lat, lon}}``; None when all empty."""
        north, west, south, east = (getattr(self, n).data for n in CORNER_FIELDS)
        if all(v is None for v in (north, west, south, east)):
            return None
        return {
            "top_left": {"lat": north, "lon": west},
            "bottom_right": {"lat": south, "lon": east},
        }


def corner_values(georef: dict | None) -> dict[str, float | str]:
    """The four inputs' values of a stored georeference (empty strings without one)."""
    if not georef:
        return dict.fromkeys(CORNER_FIELDS, "")
    top, bottom = georef["top_left"], georef["bottom_right"]
    return {
        "georef_north": top["lat"],
        "georef_west": top["lon"],
        "georef_south": bottom["lat"],
        "georef_east": bottom["lon"],
    }
