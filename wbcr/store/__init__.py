"""The case store: the one owner of every change to a register's files.

- `wbcr.store.lock`: the register lock (one implementation, cross-platform, released by the OS; who
  holds it is written beside it; taking it first undoes what a killed command left half-done).
- `wbcr.store.transaction`: files written whole or not at all, committed exactly; prepared where git
  never looks (`.git/wbcr-tmp/`), with a journal the next command undoes a killed one from.
- `wbcr.store.case`: `CaseEdit` (load, edit, seal, validate, write, commit a case), `case_folder`
  (the one reference parser) and `load_case` (the one case loader).

May import `wbcr.validation` and the layers below it (workflow, chronology, security, model, core);
nothing above (documents, reports, operations, the command line).
"""
