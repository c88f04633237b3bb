"""HTML blueprints, one per user: attendee, facilitator, presenter."""
