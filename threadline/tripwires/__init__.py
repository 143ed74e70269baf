"""(filled in by the tripwires work)"""
