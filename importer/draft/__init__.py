"""Stage 4, draft: the draft plan model, its errors, and import_document that runs every stage."""
