"""Services: reports. (Being written.)"""
