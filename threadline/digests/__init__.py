"""(filled in by the digests work)"""
