"""Digests, feeds and alerts over the store: what changed, told to people and machines.

- `digest`: `crosswire digest`, one e-mail of what was published since a moment.
- `alerts`: watch lists (terms, entities) and `check_all`, the alerts on what reached
  the store since each list's last check, stored, mailed and posted to webhooks.
- `atom`: Atom feeds of stories and of each watch list; `routes`: them over HTTP.
- `facts`: a story's changes said for people (both values of a conflict, ...);
  `render` and `templates/`: the mail bodies; `mail`, `webhook`: delivery.

The SQL behind them is in `crosswire.store.watchlists`.
"""
