"""The handoff book (交接记录本): notes from the shift going off to the shift coming on."""
