"""One view-model per dashboard page: plain dicts the templates read, no HTML here."""
