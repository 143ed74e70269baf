"""(scaffold: filled in by the profiles work)"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
