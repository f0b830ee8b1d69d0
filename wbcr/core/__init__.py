"""The core: what every layer stands on. Errors and findings, dates and the one clock, the calendar of working days, YAML reading and
atomic writing, packaged resources, every git call, the validation cache.

May import nothing else of wbcr.
"""
