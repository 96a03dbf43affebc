"""Made-up data for a newcomer's `make run` and for the benchmark, built by `seed_demo`.

It spans every app, so it lives at the roof: `portal.py` (ambassadors, networks, balls,
activities, stories, newsletters), `evaluation.py` (goals' measurements, a questionnaire round)
and `scale.py` (N municipalities of bulk data for `make bench`). Never part of any app's domain.
"""
