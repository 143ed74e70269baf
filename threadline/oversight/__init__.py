"""Oversight of the audit log: the DPO's (and auditor's) reading, browsing and export of it.

The log itself — appending, signing, checkpoints, verification — is `threadline.audit`,
below policy (policy's gate appends to it). Reading the log is a capability like any
other: it asks `threadline.policy` who may read which part (`access.audit_scope`), logs
the read, and answers: `browse.search_events` and `browse.check_chain` for the web pages,
`export.export_events` for `threadline audit export` and "Download CSV".
"""
