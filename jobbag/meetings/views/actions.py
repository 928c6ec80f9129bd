"""Pages: actions. (Being written.)"""

urlpatterns: list = []
