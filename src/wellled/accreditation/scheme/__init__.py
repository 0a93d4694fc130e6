"""Ward accreditation schemes as data, and how an audit's answers become a level: plain Python, no Django.

A scheme (a versioned YAML file) groups standards into domains, says how each answer scores and which thresholds
make each level (such as bronze, silver and gold), which standards are essential (one failed caps the level) and
which are scored on a sample of records ("8/10"). `scheme_load` reads and checks a file, naming the line of any
mistake; `audit_score` turns one audit's answers into domain and overall percentages, the level reached (which
the accreditation panel then awards) and the working behind it; `findings_of` lists the standards not fully met.
"""

from .load import SchemeError, scheme_load, scheme_parse
from .model import AnswerOption, Domain, Level, SampleRule, Scheme, Standard
from .score import (
    SAMPLE_SEPARATOR,
    AuditResult,
    DomainResult,
    LevelCheck,
    SampleResult,
    answer_of,
    audit_score,
    findings_of,
    sample_parse,
)

__all__ = [
    "SAMPLE_SEPARATOR",
    "AnswerOption",
    "AuditResult",
    "Domain",
    "DomainResult",
    "Level",
    "LevelCheck",
    "SampleResult",
    "SampleRule",
    "Scheme",
    "SchemeError",
    "Standard",
    "answer_of",
    "audit_score",
    "findings_of",
    "sample_parse",
    "scheme_load",
    "scheme_parse",
]
