"""Pages: reports. (Being written.)"""

urlpatterns: list = []
