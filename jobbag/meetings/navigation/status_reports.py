"""Menu items: status_reports. (Being written.)"""
