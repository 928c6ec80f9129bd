"""The benchmark harness behind `manage.py bench`: it builds data at a chosen scale,
times each registered operation through Django's test client and the same data's raw
SQL floor in the same run, and writes a markdown and a JSON table."""
