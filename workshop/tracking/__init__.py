"""Progress tracking: an adopted plan's projects followed until done, city by city.

- ``models``: tracked projects, their dated updates, milestones, indicators and values
  (``workshop.models`` re-exports them, for the rest of the code and Alembic).
- ``operations``: adopting a plan, who may update a project, dated updates.
- ``imports``: bulk updates from a CSV or XLSX file, every row applied or none.
- ``edits``: milestones and indicators of a project: add, mark done, record values.
- ``serialize``: the JSON shapes of projects and city summaries (API, pages, reports).
- ``api``: the ``/api/v1/cities``, ``/api/v1/projects`` and import routes (on the ``api``
  blueprint).
- ``views``: the public city pages and the monitoring report downloads (the ``cities``
  blueprint; templates in ``templates/cities/``); ``facilitator_views``: the facilitators'
  update, milestones-and-indicators and import pages on the same blueprint.
- ``reports``: the monitoring report's labels and formatting; ``reports_docx`` and
  ``reports_xlsx`` render it.
"""

# The models module refers to workshop.models' classes: load that package first.
from .. import models as _models  # noqa: F401
