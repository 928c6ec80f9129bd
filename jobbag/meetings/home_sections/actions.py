"""Home card: actions. (Being written.)"""
