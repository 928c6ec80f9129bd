"""Portal pages: status_reports. (Being written.)"""

urlpatterns: list = []
