"""``sentinelle serve``'s server: gunicorn (a pre-fork WSGI server) run from Python with the
Django application, configured here and nowhere else (no gunicorn.conf.py, no GUNICORN_CMD_ARGS).

The master process loads the application once (``preload_app``) and forks the workers; SIGTERM
stops it gracefully (running requests finish), SIGINT at once; gunicorn replaces a worker that
dies or hangs. The access log names no client address and hides capability links.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from sentinelle.config import setting
from sentinelle.web.logs import redact

ACCESS_LOG_FORMAT: Final = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'


@dataclass(frozen=True)
class ServeOptions:
    bind: str  #: HOST:PORT ([v6]:PORT); port 0 picks a free one
    workers: int
    threads: int
    timeout: int = 30  #: seconds a worker may spend on one request before it is replaced
    graceful_timeout: int = 20  #: seconds running requests get to finish after SIGTERM


class RedactingLogger(Logger):
    """gunicorn's logger, with capability tokens taken out of the request line and Referer,
    writing the access log to standard error (standard output is the command's JSON)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.access_log.handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stdout:
                handler.setStream(sys.stderr)

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms


class SentinelleServer(BaseApplication):
    """gunicorn's arbiter serving sentinelle's WSGI application."""

    def __init__(self, options: ServeOptions, *, on_ready: Callable[[list[str]], None],
                 on_exit: Callable[[], None]) -> None:
        self.options = options
        self.on_ready = on_ready
        self.on_exit = on_exit
        super().__init__(prog="sentinelle serve")

    def load_config(self) -> None:
        forwarded = setting("SENTINELLE_FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
        values: dict[str, Any] = {
            "bind": [self.options.bind],
            "workers": self.options.workers,
            "worker_class": "gthread",
            "threads": self.options.threads,
            "timeout": self.options.timeout,
            "graceful_timeout": self.options.graceful_timeout,
            "keepalive": 5,
            "preload_app": True,
            "proc_name": "sentinelle-serve",
            "forwarded_allow_ips": forwarded,
            "limit_request_line": 4094,
            "limit_request_fields": 60,
            "limit_request_field_size": 8190,
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": "info",
            "access_log_format": ACCESS_LOG_FORMAT,
            "logger_class": RedactingLogger,
            "when_ready": lambda arbiter: self.on_ready([str(listener) for listener in arbiter.LISTENERS]),
            "on_exit": lambda arbiter: self.on_exit(),
        }
        if "control_socket_disable" in self.cfg.settings:  # gunicorn >= 25: no runtime control socket
            values["control_socket_disable"] = True
        for name, value in values.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        from sentinelle.web.wsgi import application

        return application
