"""The model: what a register and a case are, independent of how they are stored or shown.

- `wbcr.model.case`: the typed case (records built once from validated YAML; dates as dates, lists
  of values as enums).

May import only `wbcr.core`.
"""
