"""County lines: each line's lifecycle (active, disrupted, closed, re-emerged) with the evidence for each change."""
