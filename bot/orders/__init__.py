"""Orders an agent sold: finding their numbers, the back-office remark, tagging reminders."""
