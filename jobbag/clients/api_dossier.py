"""A brand's dossier (品牌档案) over the API; mount `router` at "/clients".

GET /brands/{id}/dossier reads every section. The single sections (market, consumers,
strategy) are set with PUT /brands/{id}/dossier/{section}; rows of the list sections
(products, competitors, research, reviews, campaigns, budgets) are added with POST
/brands/{id}/dossier/{section}, changed with PATCH …/{row_id} and removed with DELETE
…/{row_id}?version=N. Whoever may not see the company's confidential parts gets 404;
a stale version gets 409. Attachments are listed with the dossier and downloaded with
GET /brands/{id}/dossier/files/{attachment_id} (permission checked, access logged); they
are uploaded through the pages.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from pydantic import create_model

from jobbag.clients.services import dossier
from jobbag.core.api_support import caller, errors
from jobbag.core.errors import NotFound

router = Router(tags=["clients: dossier"])


# Output ---------------------------------------------------------------------------------


class DossierRowOut(Schema):
    id: int
    version: int
    updated_by_id: int | None
    updated_at: datetime


class DossierMarketOut(DossierRowOut):
    market_size: str
    sales: str
    share: str
    trends: str
    notes: str


class DossierConsumersOut(DossierRowOut):
    target: str
    usage_patterns: str
    seasonality: str
    regions: str


class DossierStrategyOut(DossierRowOut):
    objectives: str
    target_audience: str
    positioning: str
    key_message: str
    tone: str
    channels: str


class DossierProductOut(DossierRowOut):
    generic_name: str
    brand_name: str
    status: str
    necessity: str
    uses: str
    grid: dict[str, dict[str, str]]


class DossierCompetitorOut(DossierRowOut):
    name: str
    company: str
    product: str
    grid: dict[str, dict[str, str]]


class DossierResearchOut(DossierRowOut):
    title: str
    purpose: str
    research_company: str
    method: str
    sample: str
    field_start: date | None
    field_end: date | None
    places: str
    conclusions: str
    recommended_actions: str


class DossierReviewOut(DossierRowOut):
    brand_product: str
    reviewed_on: date | None
    selling_points: str
    target: str
    promise_and_support: str
    creative_concept_and_tone: str
    production_quality: str
    media_and_format: str


class DossierCampaignOut(DossierRowOut):
    name: str
    year: int | None
    agency: str
    description: str
    results: str


class DossierBudgetOut(DossierRowOut):
    year: int
    kind: str
    amount: Decimal
    currency: str
    approval_notes: str
    notes: str


class DossierAttachmentOut(Schema):
    id: int
    section: str
    original_name: str
    content_type: str
    size: int
    uploaded_by_id: int
    uploaded_at: datetime
    download_url: str


class DossierBrandRef(Schema):
    id: int
    name: str
    company_id: int


class DossierOut(Schema):
    brand: DossierBrandRef
    market: DossierMarketOut | None
    products: list[DossierProductOut]
    competitors: list[DossierCompetitorOut]
    consumers: DossierConsumersOut | None
    research: list[DossierResearchOut]
    reviews: list[DossierReviewOut]
    strategy: DossierStrategyOut | None
    campaigns: list[DossierCampaignOut]
    budgets: list[DossierBudgetOut]
    attachments: list[DossierAttachmentOut]


OUT = {
    "market": DossierMarketOut,
    "consumers": DossierConsumersOut,
    "strategy": DossierStrategyOut,
    "products": DossierProductOut,
    "competitors": DossierCompetitorOut,
    "research": DossierResearchOut,
    "reviews": DossierReviewOut,
    "campaigns": DossierCampaignOut,
    "budgets": DossierBudgetOut,
}


# Input ----------------------------------------------------------------------------------
# Lengths, choices, dates and amounts are checked by the service, which answers 400 with
# a message per field; the schemas only say what type each field has.


class DossierMarketIn(Schema):
    market_size: str = ""
    sales: str = ""
    share: str = ""
    trends: str = ""
    notes: str = ""


class DossierConsumersIn(Schema):
    target: str = ""
    usage_patterns: str = ""
    seasonality: str = ""
    regions: str = ""


class DossierStrategyIn(Schema):
    objectives: str = ""
    target_audience: str = ""
    positioning: str = ""
    key_message: str = ""
    tone: str = ""
    channels: str = ""


class DossierProductIn(Schema):
    generic_name: str
    brand_name: str = ""
    status: str = "existing"
    necessity: str = ""
    uses: str = ""
    grid: dict[str, Any] = Field(
        default_factory=dict,
        description="{attribute: {'strength': text, 'weakness': text}}; attributes: "
        + ", ".join(dossier.GRID_KEYS),
    )


class DossierCompetitorIn(Schema):
    name: str
    company: str = ""
    product: str = ""
    grid: dict[str, Any] = Field(
        default_factory=dict, description=DossierProductIn.model_fields["grid"].description
    )


class DossierResearchIn(Schema):
    title: str
    purpose: str = ""
    research_company: str = ""
    method: str = ""
    sample: str = ""
    field_start: date | None = None
    field_end: date | None = None
    places: str = ""
    conclusions: str = ""
    recommended_actions: str = ""


class DossierReviewIn(Schema):
    brand_product: str
    reviewed_on: date | None = None
    selling_points: str = ""
    target: str = ""
    promise_and_support: str = ""
    creative_concept_and_tone: str = ""
    production_quality: str = ""
    media_and_format: str = ""


class DossierCampaignIn(Schema):
    name: str
    year: int | None = None
    agency: str = ""
    description: str = ""
    results: str = ""


class DossierBudgetIn(Schema):
    year: int
    kind: str = "budget"
    amount: Decimal
    currency: str | None = Field(
        None, description="Three letters; the client's currency if left out."
    )
    approval_notes: str = ""
    notes: str = ""


def _versioned(schema: type[Schema], name: str) -> type[Schema]:
    """`schema` with every field optional (only those sent change) and the version the
    edit was made against."""
    fields: dict = {
        key: (info.annotation | None, None) for key, info in schema.model_fields.items()
    }
    fields["version"] = (
        int,
        Field(
            ..., ge=0, description="The version the edit was made against; 0 for an empty section."
        ),
    )
    return create_model(name, __base__=Schema, **fields)


SINGLE_IN = {
    "market": DossierMarketIn,
    "consumers": DossierConsumersIn,
    "strategy": DossierStrategyIn,
}
LIST_IN = {
    "products": DossierProductIn,
    "competitors": DossierCompetitorIn,
    "research": DossierResearchIn,
    "reviews": DossierReviewIn,
    "campaigns": DossierCampaignIn,
    "budgets": DossierBudgetIn,
}


class DossierRemoveIn(Schema):
    version: int = Field(..., ge=0)


# Operations -----------------------------------------------------------------------------


def _attachment_out(brand_pk: int, attachment) -> dict:
    url = reverse(
        "clients:dossier_attachment", kwargs={"pk": brand_pk, "attachment": attachment.pk}
    )
    return {
        **{
            f: getattr(attachment, f)
            for f in DossierAttachmentOut.model_fields
            if f != "download_url"
        },
        "download_url": url,
    }


@router.get("/brands/{brand_id}/dossier", response={200: DossierOut, **errors(404)})
def get_dossier(request: HttpRequest, brand_id: int):
    """Every section of a brand's dossier; 404 for those who may not see it."""
    brand = dossier.get_brand_for_dossier(caller(request), brand_id)
    body: dict = {"brand": brand, "attachments": []}
    for state in dossier.dossier_read(brand):
        slug = state.section.slug
        body[slug] = state.row if state.section.single else state.rows
        body["attachments"] += [_attachment_out(brand.pk, a) for a in state.attachments]
    return body


@router.get(
    "/brands/{brand_id}/dossier/files/{attachment_id}",
    response={200: None, **errors(404)},
    openapi_extra={"responses": {"200": {"description": "The file, as a download."}}},
)
def download_attachment(request: HttpRequest, brand_id: int, attachment_id: int):
    """One attachment's file (Content-Disposition: attachment); every access is logged."""
    brand = dossier.get_brand_for_dossier(caller(request), brand_id)
    attachment = dossier.dossier_attachment_open(
        actor=caller(request),
        attachment=dossier.get_attachment_for_dossier(brand, attachment_id),
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise NotFound() from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _single_endpoint(slug: str) -> None:
    schema = _versioned(SINGLE_IN[slug], f"{SINGLE_IN[slug].__name__}Put")

    def put_section(request: HttpRequest, brand_id: int, payload: schema):  # type: ignore[valid-type]
        brand = dossier.get_brand_for_dossier(caller(request), brand_id, write=True)
        fields = payload.dict(exclude_unset=True, exclude={"version"})
        return dossier.dossier_section_set(
            actor=caller(request),
            brand=brand,
            section=slug,
            expected_version=payload.version,
            **fields,
        )

    put_section.__doc__ = (
        f"Sets the {slug} section; fields not sent keep their values; 409 when the version "
        "is stale."
    )
    router.put(
        f"/brands/{{brand_id}}/dossier/{slug}",
        response={200: OUT[slug], **errors(400, 403, 404, 409)},
        operation_id=f"dossier_{slug}_set",
    )(put_section)


def _list_endpoints(slug: str) -> None:
    add_schema = LIST_IN[slug]
    patch_schema = _versioned(add_schema, f"{add_schema.__name__}Patch")

    def add_row(request: HttpRequest, brand_id: int, payload: add_schema):  # type: ignore[valid-type]
        brand = dossier.get_brand_for_dossier(caller(request), brand_id, write=True)
        fields = payload.dict(exclude_none=slug == "budgets")
        row = dossier.dossier_row_add(actor=caller(request), brand=brand, section=slug, **fields)
        return Status(201, row)

    def update_row(request: HttpRequest, brand_id: int, row_id: int, payload: patch_schema):  # type: ignore[valid-type]
        brand = dossier.get_brand_for_dossier(caller(request), brand_id, write=True)
        row = dossier.get_row_for_dossier(brand, dossier.section_for(slug), row_id)
        fields = payload.dict(exclude_unset=True, exclude={"version"})
        return dossier.dossier_row_update(
            actor=caller(request), row=row, expected_version=payload.version, **fields
        )

    def remove_row(
        request: HttpRequest, brand_id: int, row_id: int, params: Query[DossierRemoveIn]
    ):
        brand = dossier.get_brand_for_dossier(caller(request), brand_id, write=True)
        row = dossier.get_row_for_dossier(brand, dossier.section_for(slug), row_id)
        dossier.dossier_row_remove(actor=caller(request), row=row, expected_version=params.version)
        return Status(204, None)

    add_row.__doc__ = f"Adds a row to the {slug} section."
    update_row.__doc__ = f"Changes the fields sent of a {slug} row; 409 when the version is stale."
    remove_row.__doc__ = f"Removes a {slug} row (kept in the audit trail); 409 when stale."
    path = f"/brands/{{brand_id}}/dossier/{slug}"
    router.post(
        path,
        response={201: OUT[slug], **errors(400, 403, 404)},
        operation_id=f"dossier_{slug}_add",
    )(add_row)
    router.patch(
        f"{path}/{{row_id}}",
        response={200: OUT[slug], **errors(400, 403, 404, 409)},
        operation_id=f"dossier_{slug}_update",
    )(update_row)
    router.delete(
        f"{path}/{{row_id}}",
        response={204: None, **errors(400, 403, 404, 409)},
        operation_id=f"dossier_{slug}_remove",
    )(remove_row)


for _slug in SINGLE_IN:
    _single_endpoint(_slug)
for _slug in LIST_IN:
    _list_endpoints(_slug)
