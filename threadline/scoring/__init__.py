"""OCG mapping scores: scales in configuration, scores computed from the data and kept.

- `scale`: the versioned scales (`scales/ocg-mapping-<version>.toml`) and their loader;
- `compute`: the inputs of a score, item by item, with the records they rest on;
- `score`: scoring groups and storing a score when it changed (the history);
- `read`: a score as policy lets a reader see it (all of its inputs, or nothing);
- `adjust`: analysts' adjustments, with reasons; an asked-for score;
- `job`: the `ocg-scores` job of `threadline tick`.
"""

from threadline.scoring.adjust import adjust_score, score_now, withdraw_adjustment
from threadline.scoring.read import HIDDEN, ScoreView, get_score, open_group
from threadline.scoring.scale import Scale, ScaleError, load_scale, read_scale
from threadline.scoring.score import Rescored, rescore_all, score_groups

__all__ = [
    "HIDDEN",
    "Rescored",
    "Scale",
    "ScaleError",
    "ScoreView",
    "adjust_score",
    "get_score",
    "load_scale",
    "open_group",
    "read_scale",
    "rescore_all",
    "score_groups",
    "score_now",
    "withdraw_adjustment",
]
