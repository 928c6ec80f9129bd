"""Daily sweeps of work orders and change notices: late acknowledgements."""
