"""Services: status_reports. (Being written.)"""
