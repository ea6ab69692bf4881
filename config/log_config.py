"""The logging configuration: everything to stderr, the level from the environment
(``LOG_LEVEL``, read in ``config.settings``)."""

from __future__ import annotations


def logging_config(level: str) -> dict:
    """Django's ``LOGGING`` dict at ``level``; a few chatty libraries kept quieter."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        },
        "handlers": {
            # Everything goes to stderr: the process manager (make run's terminal, docker compose
            # logs, systemd's journal) decides where it is kept.
            "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            "daphne": {"level": "WARNING"},
            "django_tasks": {"level": "WARNING"},
        },
    }
