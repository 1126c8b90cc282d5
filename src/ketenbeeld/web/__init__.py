"""The web application: FastAPI, server-rendered Jinja2 pages, a JSON API."""

from ketenbeeld.web.app import create_app
from ketenbeeld.web.context import WebContext

__all__ = ["WebContext", "create_app"]
