"""Every voice counts: paper, assisted and aggregate ballots, the online window, room defaults.

Every ballot carries a channel (:data:`CHANNELS`): ``room`` (a phone in the meeting),
``paper`` (a printed ballot keyed by staff), ``assisted`` (cast by a helper for an attendee
without a phone), ``online`` (cast while the activity is closed in the room, inside its
online window). Sticker counts of a table are kept apart as ``paper_aggregate``: they add
to dot-vote scores but never to per-person figures (ballots, participants, medians, maps).
"""

CHANNELS = ("room", "paper", "assisted", "online", "paper_aggregate")
PERSON_CHANNELS = ("room", "paper", "assisted", "online")
