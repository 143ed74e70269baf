"""(scaffold: filled in by the briefings work)"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
