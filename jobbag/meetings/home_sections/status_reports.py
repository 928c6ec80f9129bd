"""Home card: status_reports. (Being written.)"""
