"""Services: feeds. (Being written.)"""
