"""Pages: feeds. (Being written.)"""

urlpatterns: list = []
