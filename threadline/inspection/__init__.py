"""The evidence an inspection asks for: dashboards with charts, and the inspection pack
(a page, a PDF, JSON)."""
