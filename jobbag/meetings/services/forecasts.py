"""Services: forecasts. (Being written.)"""
