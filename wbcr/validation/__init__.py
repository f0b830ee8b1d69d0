"""Validation: each record file against its schema (`files`), the checks across a case's records as
small registered functions with stable codes (`checks`), and the register-wide run with its
content-keyed cache and the daily views kept beside it (`engine`).

May import `wbcr.workflow`, `wbcr.chronology`, `wbcr.security`, `wbcr.model` and `wbcr.core`.
"""
