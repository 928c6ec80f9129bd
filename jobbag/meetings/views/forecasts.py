"""Pages: forecasts. (Being written.)"""

urlpatterns: list = []
