"""Operations that change a register, each through the case store: registering a referral (`intake`),
recording the guidance's steps (`decisions`), moving a case on (`advance`), importing a chronology
(`chronology_import`), sealing and opening cases (`sealing`), creating a register and giving it its
key (`setup`).

May import every layer but `wbcr.cli`.
"""
