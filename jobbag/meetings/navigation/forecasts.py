"""Menu items: forecasts. (Being written.)"""
