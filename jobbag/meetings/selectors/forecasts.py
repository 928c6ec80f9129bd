"""Selectors: forecasts. (Being written.)"""
