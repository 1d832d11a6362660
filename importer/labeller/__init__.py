"""The line labeller: a CRF over layout-neutral segment features, trained on the readings (python -m importer.train)."""
