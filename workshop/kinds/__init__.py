"""The word cloud, Q&A and map activity kinds (issue 15): what they add to the vote path,
results, moderation, the map image and the GeoJSON export.

Ballots go through the same ``vote`` / ``POST /votes`` path as every kind
(``workshop/services/ballots.py`` calls :func:`new_entries` and :func:`after_store`);
their entries are whole numbers, so the live tallies (``workshop/live/tallies.py``) count them
unchanged. The pure rules are in ``workshop/voting/wordcloud.py``, ``qa.py`` and
``pins.py``.
"""

from __future__ import annotations

ROOM_KINDS = ("wordcloud", "qa", "map")
# Kinds whose activity takes attendees' statements (questions) besides a brainstorm.
STATEMENT_KINDS = ("qa",)
