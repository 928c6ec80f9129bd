"""Sweeps: meetings. (Being written.)"""
