"""All models, importable from one place (and seen by Alembic autogenerate)."""
from .account import ApiToken, CoordinatorRole, LoginSession, LoginThrottle, Membership, User, named, with_roles
from .activity import Activity, Setting, activity_item
from .aspiration import Aspiration, AspirationCategory, AspirationOffice, AspirationStep, Holiday
from .comment import Comment
from .event import Event, HubDay, KimDay, KimMonth, MemberDay, MemberMonth
from .exchange import Exchange
from .item import Item
from .kim import Kim
from .notification import Notification
from .post import Post, Upload
from .reading import ReadState
from .review import Dissemination, FlagWarning, ItemCheck, ItemFlag, ShortLink
from .source import Source, Subscription
from .types import clock_at, utcnow

__all__ = ["Activity", "ApiToken", "Aspiration", "AspirationCategory", "AspirationOffice", "AspirationStep",
           "Comment", "CoordinatorRole", "Dissemination", "Event", "Exchange", "FlagWarning", "Holiday", "HubDay",
           "Item", "ItemCheck", "ItemFlag", "Kim", "KimDay", "KimMonth", "LoginSession", "LoginThrottle",
           "MemberDay", "MemberMonth", "Membership", "Notification", "Post", "ReadState", "Setting", "ShortLink",
           "Source", "Subscription", "Upload", "User", "activity_item", "alembic_include_object", "clock_at",
           "named", "utcnow", "with_roles"]

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
