"""ralph's LRS API (``ralph.api:app``) for the xAPI tests, with its file-system backend
appending each POST to its statements file.

Run by ralph's own interpreter (``.tools/ralph``), never imported by the suite. ralph-malph
5.1.0's file-system LRS backend writes every POST with the data backend's default operation,
INDEX, which refuses a file that exists: the first POST creates ``fs_lrs.jsonl`` and every later
one fails with a 500 ("Statements bulk indexation failed"). APPEND is the operation its own
data backend offers for adding to a file; nothing else is changed.
"""

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402 (after the backend is set to append)

__all__ = ["app"]
