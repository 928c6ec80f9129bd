"""Sweeps: reports. (Being written.)"""
