"""Shifts: when each team works (crossing midnight in the shop's time zone) and who is on."""
