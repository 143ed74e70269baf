"""(filled in by the briefings work)"""
