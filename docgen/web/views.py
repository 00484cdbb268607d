"""Every screen of the web app, registered on the application (one blueprint a module)."""

from __future__ import annotations

import importlib

from flask import Flask

SCREENS = ("auth", "browse", "api", "papers", "printjobs", "roster", "receive", "importing", "admin")


def register(app: Flask) -> None:
    for name in SCREENS:
        module = importlib.import_module(f"docgen.web.{name}")
        app.register_blueprint(module.bp)
