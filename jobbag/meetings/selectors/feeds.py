"""Selectors: feeds. (Being written.)"""
