"""Provider responses: a notice's recipient says removed, disputes an item, or asks a question."""
