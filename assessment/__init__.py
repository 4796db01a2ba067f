"""Kepatuhan's pure core: criteria models, loading, answers and scoring.

    from assessment import load_criteria, score, Answer
    criteria = load_criteria("criteria/ombudsman-2023.yaml")
    report = score(criteria, [Answer(indicator="IN-K01", subject="respondent:1", value=3)])
    report.total, report.band.code, report.band.zone
"""

from assessment.answers import Answer, answers_from_mapping, validate_answers
from assessment.criteria import Band, Criteria, Dimension, Indicator, Option
from assessment.errors import AnswersError, CriteriaError, InputFileError, KepatuhanError, Problem
from assessment.loader import criteria_sha256, load_criteria, parse_criteria
from assessment.region import RegionResult, region_score
from assessment.scoring import (
    Improvement,
    Report,
    apply_improvements,
    improvements,
    score,
)

__all__ = [
    "Answer",
    "AnswersError",
    "Band",
    "Criteria",
    "CriteriaError",
    "Dimension",
    "Improvement",
    "Indicator",
    "InputFileError",
    "KepatuhanError",
    "Option",
    "Problem",
    "RegionResult",
    "Report",
    "answers_from_mapping",
    "apply_improvements",
    "criteria_sha256",
    "improvements",
    "load_criteria",
    "parse_criteria",
    "region_score",
    "score",
    "validate_answers",
]
