"""Menu items: reports. (Being written.)"""
