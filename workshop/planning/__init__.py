"""A city's planning process: its meetings, its one living plan (a tree), versions, exports.

- ``models``: the process, the plan tree, goal indicators, frozen versions.
- ``processes``: creating a process and moving workshops into it (phases).
- ``tree``: planners' edits of the tree, with its rules (a project under a strategy, ...).
- ``drafting``: every meeting feeds the plan: a workshop's results merged in, with evidence.
- ``carry``: plan items or an earlier vote's top statements carried into a new vote.
- ``versions``: status changes, frozen versions and the comparison of two versions.
- ``serialize``: the plan's JSON shape.
- ``api``: the ``/api/v1/processes`` routes.
- ``workshop_plan``, ``workshop_api``, ``workshop_views``: one workshop's own plan (drafted
  from its results, with ``RoomResults`` reading a workshop once), its
  ``/api/v1/workshops/<code>/plan`` routes and the plan builder page.
"""

# The models module refers to workshop.models' classes: load that package first.
from .. import models as _models  # noqa: F401
