"""(filled in by the notices work)"""
