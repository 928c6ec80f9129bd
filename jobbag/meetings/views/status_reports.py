"""Pages: status_reports. (Being written.)"""

urlpatterns: list = []
