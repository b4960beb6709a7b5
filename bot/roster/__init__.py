"""The roster: who is on the team, in which role, and how a new member gets in."""
