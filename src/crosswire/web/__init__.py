"""`crosswire serve`: the web app and the JSON API over the store."""

from crosswire.web.app import create_app

__all__ = ["create_app"]
