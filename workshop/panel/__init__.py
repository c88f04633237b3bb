"""The facilitator's control panel as a product: agenda editing and the live panel.

- ``agenda``: edit (prompt, English prompt, minutes), delete and reorder activities.
- ``counts``: ballots so far per stakeholder group, statements of a brainstorm.
- ``api``: ``PATCH``/``DELETE /api/v1/workshops/<code>/activities/<id>`` and
  ``PUT /api/v1/workshops/<code>/activities/order``.
- ``views``: the panel's in-place updates (JSON + re-rendered parts, with a plain-form
  fallback) and the agenda forms.
"""
