"""Rules: actions. (Being written.)"""
