"""Stories: reports of one event, across feeds and languages, gathered into one story (pure, no I/O)."""
