"""crosswire: deduplicated stories with cross-checked claims from a stream of news articles."""

from crosswire.model import Article, Claim, Entity, Facet, InputError, Quantity, RawDoc, Story

__all__ = ["Article", "Claim", "Entity", "Facet", "InputError", "Quantity", "RawDoc", "Story"]
__version__ = "0.1.0"
