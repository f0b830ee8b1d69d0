"""Documents for their recipients: templates rendered to Word in the house style (`render`,
`docx_writer`), forms read back (`forms`), the publication check (`publication`), the flow chart
(`flowchart`), the merged chronology in Word (`chronology_docx`) and the Office XML reader (`ooxml`).

May import `wbcr.store` (to read a case) and everything below it; never `wbcr.operations`,
`wbcr.reports` or `wbcr.cli`.
"""
