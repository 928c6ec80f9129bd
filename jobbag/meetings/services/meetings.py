"""Services: meetings. (Being written.)"""
