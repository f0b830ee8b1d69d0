"""wbcr: the case-review register of a safeguarding children partnership (or of the Local Safeguarding
Children Boards before 2019)."""

__version__ = "0.1.0"
