"""wbcr: the case-review register of a Local Safeguarding Children Board partnership."""

__version__ = "0.1.0"
