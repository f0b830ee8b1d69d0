"""Security: the board key and case passwords (`passwords`), Office document encryption
(`protection`), sealed values in records (`sealing`) and the git clean/smudge filter (`gitfilter`).

May import `wbcr.model` and `wbcr.core`.
"""
