"""All models, importable from one place (and seen by Alembic autogenerate)."""
from .account import ROLES, ApiToken, CoordinatorRole, LoginFailure, Membership, User
from .event import ADINDA, Event
from .exchange import STATUSES, Exchange
from .item import Item
from .kim import Kim
from .reading import ReadState
from .source import SOURCE_KINDS, Source, Subscription
from .types import utcnow

__all__ = ["ADINDA", "ROLES", "SOURCE_KINDS", "STATUSES", "ApiToken", "CoordinatorRole", "Event", "Exchange", "Item",
           "Kim", "LoginFailure", "Membership", "ReadState", "Source", "Subscription", "User", "utcnow",
           "alembic_include_object"]

# Search structures that live beside the models, created by migrations only: the FTS5 table
# (and its shadow tables) on SQLite, the generated tsvector column on PostgreSQL.
SEARCH_OBJECTS = ("item_fts",)  # the FTS5 table, its shadow tables and its source view


def alembic_include_object(obj, name, type_, reflected, compare_to):
    """Keep autogenerate away from the search structures the models do not describe."""
    if type_ == "table" and name and name.startswith(SEARCH_OBJECTS):
        return False
    if type_ == "column" and name == "search" and getattr(obj, "table", None) is not None and obj.table.name == "item":
        return False
    if type_ == "index" and name == "ix_item_search":
        return False
    return True
