"""``strife serve``: the record as web pages and a JSON API (FastAPI, Jinja2).

``app.py`` builds the application (:func:`~strife.web.app.create_app`), ``api.py``
answers in JSON, ``pages.py`` in HTML from ``templates/``, ``accounts.py`` signs
people in; both renderers call the same store functions. Nothing here is
imported by ``import strife``: FastAPI and Jinja2 load only with this package.
"""
