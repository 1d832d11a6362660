"""Stage 2, header: the plan's number, title, issuer, issue date and references, from the preamble."""
