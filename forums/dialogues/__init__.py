"""Live dialogues: scheduled sessions with a host, chat and Q&A, archived as a forum topic.

A subpackage of ``forums`` rather than an app of its own: its models (``DialogueSession`` and
the rest, in ``forums/models``) stay where their migrations are, and the archive is a forum
topic. ``services`` holds every write, ``views`` the pages and forms, ``consumers`` the room's
socket (a ``forums.streams.LiveStreamConsumer``).
"""
