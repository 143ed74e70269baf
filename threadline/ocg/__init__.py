"""Organised crime groups: who leads the response to each (its LRO)."""

from threadline.ocg.lro import assign_lro, lro_label

__all__ = ["assign_lro", "lro_label"]
