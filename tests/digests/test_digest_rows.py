"""A digest item reads as a partner would write it: dates in words, names for codes."""

from __future__ import annotations

import json

from threadline.digests.types import field_rows


def test_dates_areas_and_status_read_in_plain_english() -> None:
    body = json.dumps(
        {
            "ref": "TN-NFK-2026-0003",
            "areas": ["norwich"],
            "review_date": "2027-02-04",
            "published_at": "2026-12-07T14:30:39.398297",
            "status": "published",
            "id": 17,
        }
    )
    rows = dict(field_rows(body))
    assert rows["Review by"] == "4 February 2027"
    assert rows["Published"] == "7 December 2026 at 2:30pm"
    assert rows["Areas"] == "Norwich"
    assert rows["Status"] == "Published"
    assert "Id" not in rows and "id" not in rows
