"""Changes to the client file; one module per topic, re-exported here."""

from jobbag.clients.services.companies import (
    brand_create,
    brand_update,
    company_create,
    company_update,
    contact_create,
    contact_update,
)
from jobbag.clients.services.contact_log import (
    contact_log_add,
    contact_log_edit,
    contact_log_next_step_done,
)
from jobbag.clients.services.dossier import (
    dossier_attachment_add,
    dossier_attachment_open,
    dossier_attachment_remove,
    dossier_row_add,
    dossier_row_remove,
    dossier_row_update,
    dossier_section_set,
)
from jobbag.clients.services.imports import import_job_confirm, import_job_upload
from jobbag.clients.services.teams import team_member_add, team_member_end

__all__ = [
    "brand_create",
    "brand_update",
    "company_create",
    "company_update",
    "contact_create",
    "contact_log_add",
    "contact_log_edit",
    "contact_log_next_step_done",
    "contact_update",
    "dossier_attachment_add",
    "dossier_attachment_open",
    "dossier_attachment_remove",
    "dossier_row_add",
    "dossier_row_remove",
    "dossier_row_update",
    "dossier_section_set",
    "import_job_confirm",
    "import_job_upload",
    "team_member_add",
    "team_member_end",
]
