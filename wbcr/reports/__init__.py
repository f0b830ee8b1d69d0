"""Reports read from the register: the status board (`status`), a case's overview for `show`
(`overview`), what happens next and the deadline list (`next_steps`), the decision audit and the
action plans (`audit`). Read only.

May import `wbcr.documents`, `wbcr.store` and everything below them.
"""
