"""Two decisions at the same moment on PostgreSQL: each thread has its own connection,
both start together (a barrier), exactly one decision is recorded and the other signer
is told it was already decided."""

import threading

import pytest
from django.db import connection

from jobbag.approvals import services
from jobbag.approvals.models import Decision, MemberKind, Policy, PolicyStep, StepKind, StepMember
from jobbag.core.errors import Conflict

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for concurrent connections"
)


def race(approval, signers) -> list:
    """Each of `signers` approves `approval` at the same moment; returns their outcomes
    (a Decision or the Conflict raised)."""
    start = threading.Barrier(len(signers))
    results: list = []

    def sign(user):
        try:
            start.wait(10)
            results.append(
                services.approval_decide(actor=user, approval=approval, outcome="approve")
            )
        except Conflict as error:
            results.append(error)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(user,)) for user in signers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def kinds(results) -> list[str]:
    return sorted(type(result).__name__ for result in results)


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_signer_twice_at_once_makes_one_decision(chain, submitted):
    _quote, approval = submitted("30000")
    results = race(approval, [chain.dcs, chain.dcs])
    assert kinds(results) == ["Conflict", "Decision"], results
    assert Decision.objects.filter(approval=approval).count() == 1


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_signers_of_an_any_step_at_once_make_one_decision(chain, submitted):
    row = Policy.objects.create(document_type="quote", name="任一", company=chain.job.company)
    step = PolicyStep.objects.create(policy=row, order=1, kind=StepKind.ANY, label="任一签")
    for user in [chain.dcs, chain.manager]:
        StepMember.objects.create(step=step, kind=MemberKind.USER, user=user)
    PolicyStep.objects.create(policy=row, order=2, kind=StepKind.CLIENT, label="客户")
    _quote, approval = submitted("30000")
    results = race(approval, [chain.dcs, chain.manager])
    assert kinds(results) == ["Conflict", "Decision"], results
    assert Decision.objects.filter(approval=approval).count() == 1
