"""The extract stage: parsed passages -> events, each fact a claim tied to a source and a span.

One small module per job:

- ``quantities.py``: numbers, number words, ranges and vague amounts with their
  qualifier and bounds ("more than 100" -> 101..None);
- ``typing.py``: which kind of event a sentence reports (the taxonomy's subtypes);
- ``attribution.py``: who says so ("X said", "according to X", quotes) and the hedge;
- ``actors.py``: perpetrators, victims and targets, normalised to their kind;
- ``events.py``: puts them together per incident, merges mentions of the same
  incident, reconciles the figures.
"""
