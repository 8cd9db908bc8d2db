"""All models, importable from one place (and seen by Alembic autogenerate)."""
from .account import ROLES, ApiToken, CoordinatorRole, LoginFailure, Membership, User
from .event import ADINDA, Event
from .item import Item
from .kim import Kim
from .source import SOURCE_KINDS, Source, Subscription
from .types import utcnow

__all__ = ["ADINDA", "ROLES", "SOURCE_KINDS", "ApiToken", "CoordinatorRole", "Event", "Item",
           "Kim", "LoginFailure", "Membership", "Source", "Subscription", "User", "utcnow"]
