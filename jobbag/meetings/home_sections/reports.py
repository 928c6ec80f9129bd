"""Home card: reports. (Being written.)"""
