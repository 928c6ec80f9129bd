"""Sweeps: status_reports. (Being written.)"""
