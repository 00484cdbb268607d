"""Run the web app with waitress (a production WSGI server) until SIGTERM or Ctrl+C.

One warm LibreOffice worker serves every preview and PDF (docgen.printing.service);
on SIGTERM the server stops taking requests, running print jobs are stopped and the
worker's LibreOffice is closed, so nothing is left running or half-written.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any

from docgen.config import Settings
from docgen.errors import PrintError
from docgen.printing.service import PrintJobs, WarmConverter
from docgen.web.app import WebConfig, create_app

THREADS = 8
LOOP_TIMEOUT = 0.5  # seconds: how soon a stop request is seen


@dataclass
class Running:
    """A started server: its address, and how to stop it."""

    url: str
    stop: Callable[[], None]
    serve: Callable[[], None]
    warm_up: Callable[[], None]


def build(settings: Settings, host: str, port: int, secure_cookies: bool = False,
          behind_proxy: bool = False, threads: int = THREADS) -> Running:
    """The server bound to host:port (port 0: any free port), not yet serving."""
    from waitress.server import create_server

    try:
        converter: WarmConverter | None = WarmConverter(settings)
    except PrintError as exc:  # no LibreOffice: papers are still written, filed and found
        logging.getLogger("docgen.web").warning(
            "no LibreOffice, no previews, PDFs or books: %s", exc.render("en").replace("\n", " "))
        converter = None
    jobs = None
    if converter is not None:
        jobs = PrintJobs(settings, converter, settings.archive_root / ".docgen" / "web" / "books")
        jobs.cleanup()  # the books a previous run left, once they are old
    config = WebConfig(secure_cookies=secure_cookies, behind_proxy=behind_proxy,
                       converter=converter, jobs=jobs)
    app = create_app(settings, config)
    server: Any = create_server(app, host=host, port=port, threads=threads,
                                ident="docgen", clear_untrusted_proxy_headers=not behind_proxy)
    bound = server.effective_port
    shown = f"[{host}]" if ":" in host else host
    stopped = threading.Event()  # asked to stop (SIGTERM, Ctrl+C, stop())
    closed = threading.Event()

    def close() -> None:
        """Close the sockets, stop the print jobs and LibreOffice (once)."""
        if closed.is_set():
            return
        closed.set()
        server.close()
        for channel in list(server._map.values()):  # open keep-alive connections
            channel.close()
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
        if jobs is not None:
            jobs.shutdown()
        if converter is not None:
            converter.close()
        app.config["INDEX"].close()

    def serve() -> None:
        """waitress's loop, a short poll at a time, until asked to stop."""
        from waitress import wasyncore

        try:
            while not stopped.is_set():
                wasyncore.loop(timeout=LOOP_TIMEOUT, map=server._map, count=1)
        finally:
            close()

    def warm_up() -> None:
        """Start LibreOffice now, so that the first preview is not a cold one."""
        if converter is None:
            return
        try:
            converter.start()
        except Exception:  # noqa: BLE001 - said in the log; previews retry on their own
            if not stopped.is_set():  # a stop during the start closes LibreOffice under it
                logging.getLogger("docgen.web").exception("LibreOffice did not start")

    return Running(f"http://{shown}:{bound}/", stopped.set, serve, warm_up)


def serve_forever(running: Running, warm_up: Callable[[], None] | None = None) -> None:
    """Serve until SIGTERM/SIGINT; ``warm_up`` runs in the background first (LibreOffice)."""
    def on_signal(_sig: int, _frame: FrameType | None) -> None:
        running.stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if warm_up is not None:
        threading.Thread(target=warm_up, daemon=True).start()
    running.serve()
