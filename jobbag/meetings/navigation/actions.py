"""Menu items: actions. (Being written.)"""
