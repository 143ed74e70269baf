"""(scaffold: filled in by the intel work)"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
