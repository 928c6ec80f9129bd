"""The API root at /api/v1/; each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(title="Jobbag API", version="1", urls_namespace="api")
