"""Priority vote kinds (issue 15): the impact × feasibility ``matrix``, ``points``
allocation and participatory ``budget``.

The rules and tallies are pure (workshop/voting/matrix.py, allocation.py, budget.py);
this package is their glue: activity fields, ballot fields, the results' extra
fields (mean points, costs, the funded line), statement costs and the draft plan's
evidence.
"""

from ..models.core import PRIORITY_KINDS

__all__ = ["PRIORITY_KINDS"]
