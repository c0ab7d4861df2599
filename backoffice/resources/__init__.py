"""Spreadsheet import and export of the records secretariats keep (django-import-export), one module per domain."""

from .meetings import DocumentResource, MeetingResource
from .processes import ChairmanshipResource, FocalPointResource, ParticipationResource, ProcessResource
from .recommendations import FollowUpResource, RecommendationResource

__all__ = [
    "ChairmanshipResource",
    "DocumentResource",
    "FocalPointResource",
    "FollowUpResource",
    "MeetingResource",
    "ParticipationResource",
    "ProcessResource",
    "RecommendationResource",
]
