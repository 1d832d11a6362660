"""The leaders' dashboard, served by reporting: server-rendered pages (Jinja2), SVG charts, local assets only.

routes.py      the pages' HTTP routes and `install(app)`, the hook bootstrap calls
context.py     what every page carries: language, viewer credential, "as of" date, links
queries.py     reads of reporting's read model for one unit's subtree
figures.py     interim figures (rates, aging, score) computed here until reporting serves them
asof.py        interim "as of": a task document as it stood on a past day, as far as it can tell
charts.py      server-rendered SVG charts
pages/         one view-model per page
templates/     Jinja2 templates; static/ CSS and JS (no CDN, no web font: system fonts carry Vietnamese)
"""
