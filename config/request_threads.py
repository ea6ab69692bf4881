"""Django's ASGI handler, with each request's sync code on a reused thread.

Django's ``ASGIHandler`` gives every request a fresh ``ThreadSensitiveContext``, so the
request's sync middleware and view run on a thread started for it and stopped after it. Database
connections belong to a thread, so every request also opened a new connection and threw it away:
measured on the bench data set, that was 1.9 of the lesson page's 6 ms (SQLite reads the whole
schema on a connection's first query; PostgreSQL forks a backend per connection), and with
``CONN_MAX_AGE`` > 0 the connections of dead threads piled up until garbage collection.

``ReusedThreadsASGIHandler`` hands each request one of a few long-lived single-thread
executors instead (asgiref's ``ThreadSensitiveContext(executor=...)``, made for this), the way a
threaded WSGI server reuses its threads: a thread's connection then lives ``CONN_MAX_AGE``
seconds and Django's own ``close_old_connections`` (at request start and end) keeps it healthy.
The chain of middleware and the view also run in one trip to that thread (Django's sync
chain, as under WSGI) instead of crossing between the event loop and a thread for each
middleware. Nothing else changes: one request still has one thread to itself, and when every kept thread is
busy a request gets a new one, as before, so a slow request never queues another. An executor
still working after its request ended (a client that hung up mid-view) is retired, never
handed to the next request.
"""

from __future__ import annotations

import contextvars
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.db import connections
from django.http import HttpRequest

#: The request this task is serving (set by ``create_request``, read when it is answered).
_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "current_request", default=None
)


def forget(request: HttpRequest) -> None:
    """Drop everything an answered request holds, so it is freed at once.

    Django's request is a reference cycle (``request.user`` is a lazy object whose function
    holds the request, and so do ``request.auser`` and the messages storage), so it and all it
    reaches (session, user, the page served and its context) waited for the garbage collector.
    Under load most requests are still running when the youngest generation is collected, so
    their garbage was promoted and freed by middle-generation collections of 100,000 objects
    that paused the event loop for 100-250 ms (measured on the lesson page, 16 clients): the
    p99 of every page. Nothing reads a request once its response is sent and closed.
    """
    request.__dict__.clear()


class RequestThread(ThreadPoolExecutor):
    """One worker thread that knows whether it still has work queued or running."""

    def __init__(self) -> None:
        super().__init__(max_workers=1, thread_name_prefix="request")
        self._pending = 0
        self._pending_lock = threading.Lock()

    def submit(self, fn, /, *args, **kwargs) -> Future:
        with self._pending_lock:
            self._pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future) -> None:
        with self._pending_lock:
            self._pending -= 1

    @property
    def idle(self) -> bool:
        return self._pending == 0

    def retire(self) -> None:
        """Close this thread's database connections on it, then let the thread end."""
        super().submit(connections.close_all)
        self.shutdown(wait=False)


class RequestThreadPool:
    """The idle request threads, at most ``keep`` of them (the rest are retired)."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self._idle: list[RequestThread] = []
        self._lock = threading.Lock()

    def take(self) -> RequestThread:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return RequestThread()

    def give_back(self, thread: RequestThread) -> None:
        if thread.idle:
            with self._lock:
                if len(self._idle) < self.keep:
                    self._idle.append(thread)  # last in, first out: the warmest thread next
                    return
        thread.retire()

    def close(self) -> None:
        """Retire every idle thread (closing its connections): for shutdown and tests."""
        with self._lock:
            idle, self._idle = self._idle, []
        for thread in idle:
            thread.retire()
            thread.shutdown(wait=True)

    def __len__(self) -> int:
        return len(self._idle)


class ReusedThreadsASGIHandler(ASGIHandler):
    """``ASGIHandler`` whose requests run their sync code on threads from a pool, the whole
    middleware chain and view in one trip to that thread."""

    def __init__(self, *, keep_threads: int) -> None:
        super().__init__()
        self.threads = RequestThreadPool(keep_threads)

    def load_middleware(self, is_async: bool = False) -> None:
        """The sync chain, whatever was asked: the site's views and most of its middleware are
        sync, and an async chain crossed to a thread and back for each of them (about 25
        trips per request, measured: most of the trivial view's cost). Async views still work:
        Django's sync chain runs them on the event loop, as under WSGI."""
        super().load_middleware(is_async=False)

    async def get_response_async(self, request):
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)

    async def listen_for_disconnect(self, receive) -> None:
        """Django's, except that the client hanging up ends the task instead of raising
        ``RequestAborted``. ``handle`` ignores that exception either way, but the one left on
        the finished task, re-raised in ``handle``, kept ``handle``'s frame (the response, its
        context and page) in a reference cycle: garbage for the collector on every request
        daphne closes, which under load paused the loop 100-250 ms (see ``forget``)."""
        message = await receive()
        if message["type"] != "http.disconnect":
            raise AssertionError(f"Invalid ASGI message after request body: {message['type']}")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        thread = self.threads.take()
        token = _current_request.set(None)
        try:
            async with ThreadSensitiveContext(executor=thread):
                await self.handle(scope, receive, send)
        finally:
            self.threads.give_back(thread)
            request = _current_request.get()
            _current_request.reset(token)
            if request is not None:
                forget(request)

    def create_request(self, scope, body_file):
        request, error = super().create_request(scope, body_file)
        _current_request.set(request)  # for forget(), once the response is sent
        return request, error
