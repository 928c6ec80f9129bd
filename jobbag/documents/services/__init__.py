"""The archive's state changes: filing, borrowing, opening, rules."""
