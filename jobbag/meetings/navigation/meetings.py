"""Menu items: meetings. (Being written.)"""
