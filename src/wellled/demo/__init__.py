"""The demo: two fictional trusts with people, plans, measures, assessments and papers, placed relative to the
day it is loaded. Data files in `data/`, one loader (`loader.py`), the ordered load steps (`steps.py`) and the
`wellled demo` command. It may import every app; no app imports it."""
