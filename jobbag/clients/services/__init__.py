"""Changes to the client file; one module per topic, re-exported here."""

from jobbag.clients.services.companies import (
    brand_create,
    brand_update,
    company_create,
    company_update,
    contact_create,
    contact_update,
)

__all__ = [
    "brand_create",
    "brand_update",
    "company_create",
    "company_update",
    "contact_create",
    "contact_update",
]
