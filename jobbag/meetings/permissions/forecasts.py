"""Rules: forecasts. (Being written.)"""
