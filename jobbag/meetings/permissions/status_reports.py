"""Rules: status_reports. (Being written.)"""
