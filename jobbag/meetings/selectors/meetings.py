"""Selectors: meetings. (Being written.)"""
