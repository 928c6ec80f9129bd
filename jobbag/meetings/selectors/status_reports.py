"""Selectors: status_reports. (Being written.)"""
