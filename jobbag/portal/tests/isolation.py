"""The isolation walker: proves a client user reaches nothing of another company.

Reusable by every later issue's tests: it walks the project's URL patterns and API schema
as they are when the test runs, so a page or endpoint added later is walked too.

    footprint = foreign_footprint(clientele.other_company, people=[clientele.other_ae])
    report = walk_pages(login(cast.client), footprint)
    assert report.checked and not report.failures, report.failures

`walk_pages` requests every URL pattern with path parameters filled from another
company's objects: a page outside the client allow-list must answer 404 (GET and POST),
the staff home page must send the client to the portal, and a page inside the allow-list
must not fail and must not show the other company's data. `walk_api`
does the same for every GET operation in an OpenAPI schema: no server error, no 401, and
no trace of the other company in the answer.
"""

import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from jobbag.portal.middleware import CLIENT_REDIRECTS, client_may_open

# Paths the page walk leaves to walk_api (the API) or to the web server (static files).
SKIPPED_PREFIXES = ("/api/", "/static/")
# Query parameters that page through results rather than name a row.
PAGING_PARAMETERS = {"page", "page_size"}


@dataclass
class Foreign:
    """Another company's footprint: ids to put in URLs, strings for text parameters, and
    markers (names, codes, addresses) that must never appear in what a client user sees."""

    ints: list[int]
    strings: list[str]
    markers: list[str]

    def leaked(self, body: str, *, url: str = "") -> list[str]:
        """The markers in `body`, except those the requested `url` itself carries (a page
        may repeat its own address)."""
        return [marker for marker in self.markers if marker in body and marker not in url]


@dataclass
class Report:
    checked: int = 0
    failures: list[str] = field(default_factory=list)
    # The URLs inside the allow-list that were opened (and checked for foreign data).
    opened: list[str] = field(default_factory=list)


def _pk_values(model: type[models.Model], lookup: dict, limit: int) -> list:
    return list(
        model._default_manager.filter(**lookup).order_by("pk").values_list("pk", flat=True)[:limit]
    )


def foreign_footprint(
    company: models.Model,
    *,
    people: Iterable[models.Model] = (),
    depth: int = 2,
    per_model: int = 3,
    markers: Iterable[str] = (),
) -> Foreign:
    """The footprint of `company`: the rows of every model pointing at it, and (to
    `depth` hops) at those rows, up to `per_model` rows each; plus `people` (staff who
    serve it, say). Later apps' models are found the same way, by their foreign keys."""
    found: dict[type[models.Model], set] = {type(company): {company.pk}}
    frontier = dict(found)
    # Only models with rows of their own: not proxies, and only tables that exist (an app
    # whose migration is still being written has none yet).
    tables = set(connection.introspection.table_names())
    models_with_rows = [
        model
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.db_table in tables
    ]
    for _hop in range(depth):
        reached: dict[type[models.Model], set] = {}
        for model in models_with_rows:
            for relation in model._meta.concrete_fields:
                target = (
                    relation.related_model if relation.many_to_one or relation.one_to_one else None
                )
                if target not in frontier:
                    continue
                lookup = {f"{relation.name}__in": list(frontier[target])}
                pks = set(_pk_values(model, lookup, per_model)) - found.get(model, set())
                if pks:
                    reached.setdefault(model, set()).update(pks)
        for model, pks in reached.items():
            found.setdefault(model, set()).update(pks)
        frontier = reached
    person_list = list(people)
    for person in person_list:
        found.setdefault(type(person), set()).add(person.pk)
    ints = sorted({pk for pks in found.values() for pk in pks if isinstance(pk, int)})
    strings = [str(pk) for pks in found.values() for pk in pks if not isinstance(pk, int)]
    code = str(getattr(company, "code", "") or "")
    strings = [code, timezone.localdate().isoformat(), *strings] if code else strings
    return Foreign(
        ints=ints, strings=strings, markers=_markers(company, found, person_list, markers)
    )


def _markers(company, found, people, extra) -> list[str]:
    """Distinctive texts of the company, its people and its rows: names, codes, e-mails."""
    texts = set(extra)
    names = ("name", "name_en", "code", "email", "full_name", "username", "mobile")
    for model, pks in found.items():
        field_names = {f.name for f in model._meta.concrete_fields} & set(names)
        if not field_names:
            continue
        for row in model._default_manager.filter(pk__in=pks).values(*field_names):
            texts.update(str(value) for value in row.values() if value)
    for person in people:
        texts.update(str(getattr(person, name)) for name in names if getattr(person, name, None))
    # Short Latin texts (a two-letter code) would match by chance; two Chinese characters
    # (a person's name) would not.
    return sorted(text for text in texts if len(text) >= 3 or not text.isascii())


# URL patterns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern: the chain of patterns from the root to it."""

    chain: tuple
    name: str | None

    @property
    def display(self) -> str:
        return "/" + "".join(str(pattern) for pattern in self.chain)


def routes(resolver: URLResolver | None = None) -> list[Route]:
    """Every URL pattern of the project (the URLconf in force), recursively."""
    return list(_walk(resolver or get_resolver(), (), ()))


def _walk(resolver: URLResolver, chain: tuple, namespaces: tuple) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            spaces = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, (*chain, entry.pattern), spaces)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            yield Route(chain=(*chain, entry.pattern), name=name)


_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _candidates(converter, foreign: Foreign) -> list[str]:
    """Values for a path parameter, from the other company's footprint."""
    if isinstance(converter, IntConverter):
        return [str(pk) for pk in foreign.ints]
    if isinstance(converter, UUIDConverter):
        uuids = [s for s in foreign.strings if _is_uuid(s)]
        return uuids or [str(uuid.uuid4())]
    regex = re.compile(getattr(converter, "regex", "[^/]+"))
    values = [s for s in (*foreign.strings, *map(str, foreign.ints)) if regex.fullmatch(s)]
    return values or ["x"]


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _urls(route: Route, foreign: Foreign) -> list[str]:
    """The route filled with the i-th candidate for every parameter, for each i."""
    pieces: list[tuple[str, list[str]]] = []
    for pattern in route.chain:
        text = str(pattern)
        if isinstance(pattern, RoutePattern):
            converters = pattern.converters
            last = 0
            for match in _ROUTE_PARAMETER.finditer(text):
                pieces.append((text[last : match.start()], []))
                pieces.append(("", _candidates(converters[match["name"]], foreign)))
                last = match.end()
            pieces.append((text[last:], []))
        else:
            text = text.lstrip("^").rstrip("$").replace("\\Z", "")
            last = 0
            for match in _REGEX_GROUP.finditer(text):
                pieces.append((text[last : match.start()].replace("\\", ""), []))
                pieces.append(("", [str(pk) for pk in foreign.ints] or ["1"]))
                last = match.end()
            pieces.append((text[last:].replace("\\", ""), []))
    width = max((len(values) for _text, values in pieces if values), default=1)
    urls = []
    for index in range(width):
        parts = [text or (values[index % len(values)] if values else "") for text, values in pieces]
        urls.append("/" + "".join(parts))
    return list(dict.fromkeys(urls))


def _view_name(url: str) -> str | None:
    try:
        return resolve(url).view_name
    except Resolver404:
        return None


def walk_pages(
    client: Client,
    foreign: Foreign,
    *,
    may_open: Callable[[str | None], bool] = client_may_open,
) -> Report:
    """Requests every URL pattern as the user `client` is signed in as (a client user).

    Outside `may_open`: GET and POST must answer 404. Inside it: every candidate URL,
    by GET, must not fail (5xx) nor show any of `foreign.markers`.
    """
    report = Report()
    for route in routes():
        if route.display.startswith(SKIPPED_PREFIXES):
            continue
        urls = _urls(route, foreign)
        name = _view_name(urls[0])
        if name in CLIENT_REDIRECTS:
            # Pages a client user is sent on from, to the portal.
            target = reverse(CLIENT_REDIRECTS[name])
            response = client.get(urls[0])
            report.checked += 1
            if response.status_code != 302 or response["Location"] != target:
                report.failures.append(f"GET {urls[0]} ({name}): not sent to {target}")
            continue
        if not may_open(name):
            for method in ("get", "post"):
                response = getattr(client, method)(urls[0])
                report.checked += 1
                if response.status_code != 404:
                    report.failures.append(
                        f"{method.upper()} {urls[0]} ({name}): {response.status_code}, not 404"
                    )
            continue
        for url in urls:
            response = client.get(url)
            report.checked += 1
            report.opened.append(url)
            _check(report, f"GET {url} ({name})", response, foreign, url=url)
    return report


def _check(report: Report, label: str, response, foreign: Foreign, *, url: str) -> None:
    if response.status_code >= 500 or response.status_code == 401:
        report.failures.append(f"{label}: {response.status_code}")
        return
    body = response.content.decode(errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        # The API escapes non-ASCII characters; compare with the text as sent.
        body = json.dumps(response.json(), ensure_ascii=False) if body else body
    leaked = foreign.leaked(body, url=url)
    if leaked:
        report.failures.append(f"{label}: shows {leaked}")


# The API ----------------------------------------------------------------------------------


def _schema_of(parameter: dict, components: dict) -> dict:
    schema = parameter.get("schema", {})
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            schema = option
            break
    if "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema


def _sample(schema: dict, value: int) -> str | None:
    """A value of the parameter's type; integers get the other company's id."""
    if "enum" in schema:
        return str(schema["enum"][0])
    kind, shape = schema.get("type"), schema.get("format")
    if kind == "integer":
        return str(value)
    if kind == "boolean":
        return "true"
    if kind == "number":
        return "1"
    if shape == "date":
        return timezone.localdate().isoformat()
    if shape == "date-time":
        return timezone.now().isoformat()
    if kind == "string":
        return ""
    return None


def _fill_query(parameter: dict, schema: dict) -> bool:
    """Required query parameters get a value; optional integer ones (filters by id) get
    the other company's ids; paging is left alone."""
    if parameter["in"] != "query" or parameter["name"] in PAGING_PARAMETERS:
        return False
    return bool(parameter.get("required")) or schema.get("type") == "integer"


def walk_api(
    client: Client, foreign: Foreign, *, schema_url: str = "/api/v1/openapi.json"
) -> Report:
    """Calls every GET operation of the schema with the other company's ids in its path
    and integer query parameters (each id in turn); required parameters get a value of
    their type. No answer may fail (5xx, 401) or contain a trace of the other company."""
    report = Report()
    schema = client.get(schema_url).json()
    components = schema.get("components", {}).get("schemas", {})
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        parameters = operation.get("parameters", [])
        for value in foreign.ints or [1]:
            url, query = path, {}
            for parameter in parameters:
                param_schema = _schema_of(parameter, components)
                sample = _sample(param_schema, value)
                if parameter["in"] == "path":
                    if param_schema.get("type") != "integer":
                        sample = foreign.strings[0] if foreign.strings else "x"
                    url = url.replace("{" + parameter["name"] + "}", str(sample))
                elif _fill_query(parameter, param_schema) and sample is not None:
                    query[parameter["name"]] = sample
            response = client.get(url, query)
            report.checked += 1
            _check(report, f"GET {url} {query}", response, foreign, url=url)
    return report
