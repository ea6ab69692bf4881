"""Django's template backend, with each render's context let go of as soon as it is rendered.

A template ``Context`` and the ``ContextDict`` layers it pushes point at each other, so the
context and everything in it (the page, its course tree, the rendered blocks, the request)
could only be freed by the garbage collector, and under load that meant collections of
100,000 objects pausing every request in flight (config/request_threads.py, ``forget``).
Emptying the context's layers once the template has rendered breaks the cycle; nothing reads a
context after its template returned (the test client keeps its own copy).
"""

from __future__ import annotations

from django.template import TemplateDoesNotExist
from django.template.backends import django as django_backend
from django.template.context import make_context


class Template(django_backend.Template):
    def render(self, context=None, request=None) -> str:
        context = make_context(context, request, autoescape=self.backend.engine.autoescape)
        try:
            return self.template.render(context)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self.backend)
        finally:
            context.dicts.clear()


class DjangoTemplates(django_backend.DjangoTemplates):
    """``django.template.backends.django.DjangoTemplates`` whose templates free their context
    when they have rendered."""

    def get_template(self, template_name: str) -> Template:
        try:
            return Template(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self)

    def from_string(self, template_code: str) -> Template:
        return Template(self.engine.from_string(template_code), self)
