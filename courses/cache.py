"""What the courses' page writes change in the page and fragment caches (``config.page_cache``),
beyond the page tags the library bumps for every page (``library/cache.py``: ``pages``, the
page's own ``page:<translation key>`` and its course's and module's).

- ``courses.catalogue``: the course pages themselves, as other courses name them (a course's
  prerequisites: their titles, addresses and whether they are live). Bumped when any course
  page is saved, published, unpublished, moved or deleted; a course page declares it, so a
  prerequisite unpublished drops the courses that link it, and a case study published keeps
  every course page.

Learners' records are never cached for anyone but their owner (the course page shows them
outside its fragments), so no write to them bumps anything here.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from config.page_cache import bump

CATALOGUE = "courses.catalogue"


def course_changed(sender, *, raw: bool = False, **kwargs) -> None:
    """Any write to a course page: a draft saved bumps too (harmless: one rendering more)."""
    if not raw:
        bump(CATALOGUE)


def connect() -> None:
    from courses.models import CoursePage

    for signal in (page_published, page_unpublished, post_page_move, post_save, post_delete):
        signal.connect(course_changed, sender=CoursePage, dispatch_uid=f"courses.cache.{signal}")
