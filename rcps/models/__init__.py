"""Processes and what belongs to them: participations, chairmanships, focal points, the secretariats serving them."""

from .focal_points import FocalPoint
from .participants import Membership
from .processes import (
    Chairmanship,
    Level,
    Participation,
    Process,
    countries_taking_part,
    with_process_counts,
)
from .secretariats import SecretariatAssignment

__all__ = [
    "Chairmanship",
    "FocalPoint",
    "Level",
    "Membership",
    "Participation",
    "Process",
    "SecretariatAssignment",
    "countries_taking_part",
    "with_process_counts",
]
