"""Sweeps: actions. (Being written.)"""
