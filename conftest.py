"""The shared cast of named users and helpers every app's tests use."""

import os
from dataclasses import dataclass

import pytest

from jobbag.accounts.models import Role, ServiceTeamMembership, User
from jobbag.accounts.tests.factories import PASSWORD, UserFactory, hashed, staff
from jobbag.clients.models import Brand, Company, Contact
from jobbag.clients.tests.factories import BrandFactory, CompanyFactory, ContactFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to
# run under one unless told the code is not async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class Cast:
    ae: User  # Account Executive: does the day-to-day work on their accounts.
    ad: User  # Account Director: signs work orders, supervises AMs and AEs.
    gm: User  # General Manager: sees everything, approves the largest amounts.
    designer: User  # Design department: receives work orders, sees no confidential files.
    finance: User  # Finance staff.
    admin: User  # System administrator: manages organisation and settings.
    client: User  # A client company's user: sees only their own company, in the portal.
    outsider: User  # A client user of another company: must never see the first one's data.


@pytest.fixture
def cast(db) -> Cast:
    return Cast(
        ae=staff("ae", Role.AE, full_name="王小明"),
        ad=staff("ad", Role.AD, full_name="李娜"),
        gm=staff("gm", Role.GM, department="management", full_name="张伟"),
        designer=staff("designer", Role.DESIGNER, department="design", full_name="陈静"),
        finance=staff("finance", Role.FINANCE, department="finance", full_name="刘洋"),
        admin=staff(
            "admin", Role.STAFF, department="administration", is_superuser=True, full_name="赵敏"
        ),
        client=UserFactory(username="client", kind=User.Kind.CLIENT, full_name="客户甲"),
        outsider=UserFactory(username="outsider", kind=User.Kind.CLIENT, full_name="客户乙"),
    )


@pytest.fixture
def login(client):
    """login(user) signs the Django test client in as `user` and returns the client."""

    def sign_in(user: User):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def password() -> str:
    return PASSWORD


# Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded one).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    # Imported here so that runs without browser tests never load Playwright.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, settings):
    """A fresh browser context on the live server, in Chinese at desktop size.

    A console error, an uncaught script error or a failed request (a missing stylesheet,
    say) fails the test that caused it.
    """
    # The live server serves static files from the finders, which know the source names,
    # not the hashed names the manifest storage writes into pages.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 800}, base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []

    def on_console(message) -> None:
        # Chromium asks for /favicon.ico by itself; that is not a page's error.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            problems.append(f"console: {message.text} ({message.location['url']})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    # A request the browser aborts because the test navigated on (a panel still loading
    # by htmx) is not a fault of the page; any other failure, or a 4xx/5xx, is.
    page.on(
        "requestfailed",
        lambda r: (
            r.failure != "net::ERR_ABORTED" and problems.append(f"failed: {r.url} {r.failure}")
        ),
    )
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture
def quick_password_hashing(settings):
    """MD5 instead of Argon2 for tests that sign in with passwords many times.

    test_profile checks that real passwords are stored with Argon2. The factories' cached
    hash is dropped on both sides so no other test gets a quick one.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"] + list(
        settings.PASSWORD_HASHERS
    )
    hashed.cache_clear()
    yield
    hashed.cache_clear()


@dataclass
class Clientele:
    company: (
        Company  # 海尔 (HAIER): served by cast.ae (AE) and cast.ad (AD); cast.client works there.
    )
    brand: Brand  # Its refrigerator brand.
    contact: Contact  # 孙丽, its marketing director, the portal user cast.client's contact.
    other_company: Company  # 耐克 (NIKE): cast.outsider works there; no one in the cast serves it.
    other_ae: User  # An AE serving only NIKE: sees HAIER's name, never its confidential parts.


@pytest.fixture
def clientele(cast) -> Clientele:
    company = CompanyFactory(code="HAIER", name="海尔集团", name_en="Haier Group")
    brand = BrandFactory(company=company, name="海尔冰箱", name_en="Haier Refrigerators")
    contact = ContactFactory(company=company, name="孙丽", title="市场总监")
    other = CompanyFactory(code="NIKE", name="耐克体育", name_en="Nike Sports", industry="运动服饰")
    other_ae = staff("other_ae", Role.AE, full_name="周杰")
    ServiceTeamMembership.objects.bulk_create(
        [
            ServiceTeamMembership(user=cast.ae, team_role=Role.AE, company=company),
            ServiceTeamMembership(user=cast.ad, team_role=Role.AD, company=company),
            ServiceTeamMembership(user=other_ae, team_role=Role.AE, company=other),
        ]
    )
    User.objects.filter(pk=cast.client.pk).update(company=company, contact=contact)
    User.objects.filter(pk=cast.outsider.pk).update(company=other)
    cast.client.refresh_from_db()
    cast.outsider.refresh_from_db()
    return Clientele(company, brand, contact, other, other_ae)
