"""Portal pages: reports. (Being written.)"""

urlpatterns: list = []
