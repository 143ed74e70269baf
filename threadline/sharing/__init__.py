"""Sharing: the information sharing agreements that routine sharing with partners rests on."""

from threadline.sharing.agreements import (
    Isa,
    active_isas_for,
    add_isa,
    end_isa,
    get_isa,
    list_isas,
)

__all__ = ["Isa", "active_isas_for", "add_isa", "end_isa", "get_isa", "list_isas"]
