"""Fixtures of the pipeline tests: prospects at a given stage, owned by the cast's AE."""

import pytest

from jobbag.pipeline import services
from jobbag.pipeline.models import Stage


@pytest.fixture
def prospect_at(cast):
    """prospect_at(stage, owner=cast.ae, **fields) creates a prospect and walks it forward
    to `stage` through the services, so its moves are real."""

    def make(stage: str = Stage.COLLECT_INFO, *, owner=None, **fields):
        owner = owner or cast.ae
        values = {
            "name": "青岛啤酒",
            "industry": "啤酒",
            "expected_value": 500000,
            "probability": 40,
            "contact_name": "刘强",
            "contact_title": "品牌经理",
            "contact_phone": "13912345678",
            "contact_email": "liuqiang@tsingtao.example",
            **fields,
        }
        prospect = services.prospect_create(actor=owner, **values)
        if stage != Stage.COLLECT_INFO:
            prospect = services.prospect_move(
                actor=owner, prospect=prospect, expected_version=prospect.version, to=stage
            )
        return prospect

    return make


@pytest.fixture
def team(cast):
    """cast.ae reports to cast.ad: the AD works the AE's prospects as their superior."""
    cast.ae.reports_to = cast.ad
    cast.ae.save(update_fields=["reports_to"])
    return cast
