"""(scaffold: filled in by the api_intel work)"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
