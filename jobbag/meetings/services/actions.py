"""Services: actions. (Being written.)"""
