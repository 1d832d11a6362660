"""The leaders' dashboard, served by reporting: server-rendered pages (Jinja2), SVG charts, local assets only.

routes.py      the pages' HTTP routes and `install(app)`, the hook reporting's bootstrap calls
errors.py      401/403/404 as an HTML page for a browser (Vietnamese first, a sign-in hint); problem+json for everyone else
context.py     what every page carries: language, viewer credential, "as of" day, links
reported.py    reporting's own figures (summary, trend, ranking, obligations, indicators), as the JSON API serves them
queries.py     reads of reporting's read model for one unit's subtree (units, tasks, plans, agencies, escalations)
unittree.py    the unit tree kept a few seconds per app (not every unit document read per view)
roles.py       who was told / who acknowledged, as roles ("Chủ tịch UBND xã …"), never people
figures.py     a task row's bucket and days overdue; the Figures shape pages print
asof.py        INTERIM "as of" for task rows: a task document as it stood on a past day, as far as its state tells
charts.py      server-rendered SVG charts; trendcache.py keeps past month ends of the trend a while
rendering.py   the Jinja2 environment; texts.py every word, Vietnamese first; formatting.py 35.000 · 87,5% · dd/mm/yyyy
pages/         one view-model per page (timeline.py: a task's timeline from reporting's per-task timeline view)
templates/     Jinja2 templates; static/ CSS and JS (no CDN, no web font: system fonts carry Vietnamese)
"""
