"""Command line for the web app and JSON API: `crosswire serve`."""

from __future__ import annotations
