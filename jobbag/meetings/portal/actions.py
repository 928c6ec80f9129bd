"""Portal pages: actions. (Being written.)"""

urlpatterns: list = []
