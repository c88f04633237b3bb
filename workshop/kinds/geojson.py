"""GeoJSON export of a map activity: one Feature per visible pin.

With a georeference the geometry is the pin's longitude and latitude (RFC 7946, WGS 84);
without one it is ``null`` and the image position is in the properties (``x``, ``y``
from 0 to 1, from the top left), as it is with one.
"""

from __future__ import annotations

import json

from flask import Response

from ..models import Workshop
from ..services.errors import Invalid
from ..services.workshops import get_activity
from .results import stored_pins


def geojson(workshop: Workshop, activity_id: object) -> dict:
    if activity_id is None:
        raise Invalid("give activity=<id> of a map activity", "invalid_field")
    activity = get_activity(workshop, activity_id)
    if activity.kind != "map":
        raise Invalid("the GeoJSON export is of a map activity", "wrong_kind")
    features = []
    for pin in stored_pins(activity):
        geometry = (
            {"type": "Point", "coordinates": [pin["lon"], pin["lat"]]} if "lat" in pin else None
        )
        properties = {k: pin[k] for k in ("id", "x", "y", "category", "note", "group")}
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return {
        "type": "FeatureCollection",
        "name": activity.prompt,
        "workshop": workshop.code,
        "activity_id": activity.id,
        "georeferenced": bool(activity.georef),
        "categories": list(activity.categories or []),
        "features": features,
    }


def geojson_response(workshop: Workshop, activity_id: object) -> Response:
    body = json.dumps(geojson(workshop, activity_id), ensure_ascii=False)
    response = Response(body, mimetype="application/geo+json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{workshop.code}-map-{activity_id}.geojson"'
    )
    return response
