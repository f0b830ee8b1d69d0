"""The model: what a register and a case are, independent of how they are stored or shown.

- `register`: the register folder, its configuration and the one reference parser (`case_folder`).
- `schemas`: the JSON Schemas of every record, sensitive fields, sealed-value patterns.
- `reference`: reference formats and the next free reference.
- `procedure`: a procedure's stages, paths, guards and deadlines as data, and its small path language.
- `case`: the typed case (records built once from validated YAML; dates as dates, enums as enums).
- `themes`: the register's learning themes and the themes a case's findings and recommendations carry.

May import only `wbcr.core`.
"""
