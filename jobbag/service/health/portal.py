"""Client portal pages (to be written)."""

urlpatterns = []
