"""Command line for digests and watch-list alerts: `crosswire digest`, `crosswire alerts`."""

from __future__ import annotations
