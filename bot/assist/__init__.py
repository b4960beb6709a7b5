"""What the bot does for an agent during a shift, as plain services: drafts and phrasings."""
