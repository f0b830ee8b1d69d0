"""Agency chronologies: reading a case's chronologies, merging them and flagging what the panel should
look at (`merge`). Pure: importing a chronology is an operation (`wbcr.operations.chronology_import`).

May import `wbcr.security`, `wbcr.model` and `wbcr.core`.
"""
