"""Pages: meetings. (Being written.)"""

urlpatterns: list = []
