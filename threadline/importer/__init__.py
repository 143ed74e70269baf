"""Import of force exports: CSV and JSON Lines files of records and links.

The contract is docs/formats.md. `import_file` validates a whole file and writes it in
one transaction, or writes nothing and says where every problem is; `import_files` runs
several, record files before links files.
"""

from threadline.importer.kinds import ImportKind, detect_kind
from threadline.importer.result import ImportResult, Progress
from threadline.importer.service import import_file, import_files

__all__ = [
    "ImportKind",
    "ImportResult",
    "Progress",
    "detect_kind",
    "import_file",
    "import_files",
]
