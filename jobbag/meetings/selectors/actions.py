"""Selectors: actions. (Being written.)"""
