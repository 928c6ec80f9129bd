"""Rules: meetings. (Being written.)"""
