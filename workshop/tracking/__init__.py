"""Progress tracking: an adopted plan's projects followed until done, city by city.

- ``models``: tracked projects, their dated updates, milestones, indicators and values
  (``workshop.models`` re-exports them, for the rest of the code and Alembic).
- ``operations``: adopting a plan, who may update a project, dated updates, bulk imports
  (CSV/XLSX, all rows or none), and the JSON shapes of projects and city summaries.
- ``edits``: milestones and indicators of a project: add, mark done, record values.
- ``api``: the ``/api/v1/cities``, ``/api/v1/projects`` and import routes (on the ``api``
  blueprint).
- ``views``: the public city pages and the facilitators' update, import and measures pages
  (the ``cities`` blueprint; templates in ``templates/cities/``).
- ``reports``: a city's monitoring report as DOCX and XLSX.
"""

# The models module refers to workshop.models' classes: load that package first.
from .. import models as _models  # noqa: F401
