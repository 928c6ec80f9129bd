"""Rules: reports. (Being written.)"""
