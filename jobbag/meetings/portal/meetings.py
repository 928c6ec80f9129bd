"""Portal pages: meetings. (Being written.)"""

urlpatterns: list = []
