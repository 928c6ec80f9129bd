"""Rules: feeds. (Being written.)"""
