"""The embedded search backend (SQLite FTS5 or PostgreSQL tsvector), split by responsibility:

* ``backend``: ``DatabaseBackend``, the thin executor the rest of the site reaches through
  ``search.backends.get_backend``;
* ``plan``: the pure part (query words, limits, the ranking strategy of a page);
* ``state``: which generation answers and the version that keys cached answers;
* ``rows``: the entries and facet rows, and which entries a request may see;
* ``facets``, ``suggestions``: facet counts, autocomplete and spelling;
* ``engine``: the protocol of a database's full text, implemented by ``sqlite`` (with
  ``sqlite_walk``) and ``postgresql``.
"""

from search.backends.database.backend import DatabaseBackend
from search.backends.database.plan import START, STOP, mark, query_words

__all__ = ["START", "STOP", "DatabaseBackend", "mark", "query_words"]
