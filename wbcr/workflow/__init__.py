"""The workflow: what a case's records say of its deadlines, guards and next stages, computed from the
procedure's data (`wbcr.model.procedure`) and the calendar (`wbcr.core.calendar`). Pure: nothing here
reads or writes files.

May import `wbcr.security`, `wbcr.model` and `wbcr.core`.
"""
