"""Selectors: reports. (Being written.)"""
