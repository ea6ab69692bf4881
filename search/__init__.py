"""Search across the network.

Other apps use only the functions re-exported here; which backend answers (Elasticsearch or the
database) is decided by settings and never seen by callers.
"""

from search.health import backend_status

__all__ = ["backend_status"]
