"""Entity resolution: which person records, across the region's forces, are one person.

Splink 5 on DuckDB matches every person record against the others (blocking on phonetic
name keys, dates of birth, postcodes, phones and PNC ids), scores pairs with an
unsupervised, EM-trained model and clusters them; each record gets a resolved id that
stays put while its cluster does. See `spec` for the model, `service` for running and
exporting, `explain` for the field-by-field weights of a pair.
"""

from threadline.resolve.explain import Explanation, FieldExplanation, explain_pair
from threadline.resolve.service import (
    EXPORT_HEADER,
    ExportSummary,
    RunSummary,
    export_resolution,
    run_resolution,
)

__all__ = [
    "EXPORT_HEADER",
    "Explanation",
    "ExportSummary",
    "FieldExplanation",
    "RunSummary",
    "explain_pair",
    "export_resolution",
    "run_resolution",
]
