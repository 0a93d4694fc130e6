"""Read a scheme file and check it, naming the line of each mistake so whoever keeps the file can mend it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .model import AnswerOption, Domain, Level, SampleRule, Scheme, Standard

# Percentages are of the points available; a threshold outside 0..100 is a typing mistake.
PERCENT_RANGE = (0.0, 100.0)


class SchemeError(ValueError):
    """A scheme file that cannot be used, with the line (1-based) where the problem is, when known."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line else message)


class _Mapping(dict[str, Any]):
    """A YAML mapping that remembers the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Sequence(list[Any]):
    line: int = 0
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """A safe loader whose mappings and lists carry their line numbers."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise SchemeError(f"keys must be words, not {key!r}", key_node.start_mark.line + 1)
        if key in mapping:
            raise SchemeError(f"'{key}' is given twice", key_node.start_mark.line + 1)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> _Sequence:
    sequence = _Sequence(loader.construct_object(child, deep=True) for child in node.value)
    sequence.line = node.start_mark.line + 1
    sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
    return sequence


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _mapping(value: Any, where: str, line: int) -> _Mapping:
    if not isinstance(value, _Mapping):
        raise SchemeError(f"{where} should be a mapping of names to values", line)
    return value


def _sequence(parent: _Mapping, key: str, where: str) -> _Sequence:
    value = parent.get(key)
    if not isinstance(value, _Sequence) or not value:
        raise SchemeError(f"{where} needs a non-empty list '{key}'", parent.line_of(key))
    return value


def _text(parent: _Mapping, key: str, where: str, *, required: bool = True, default: str = "") -> str:
    value = parent.get(key)
    if value is None:
        if required:
            raise SchemeError(f"{where} is missing '{key}'", parent.line)
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise SchemeError(f"{where}: '{key}' should be text", parent.line_of(key))
    text = str(value).strip()
    if required and not text:
        raise SchemeError(f"{where}: '{key}' is empty", parent.line_of(key))
    return text


def _number(parent: _Mapping, key: str, where: str, *, default: float | None = None) -> float:
    value = parent.get(key, default)
    if value is None:
        raise SchemeError(f"{where} is missing '{key}'", parent.line)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SchemeError(f"{where}: '{key}' should be a number, not {value!r}", parent.line_of(key))
    return float(value)


def _whole(parent: _Mapping, key: str, where: str, *, default: int, least: int = 0) -> int:
    value = parent.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise SchemeError(
            f"{where}: '{key}' should be a whole number of at least {least}", parent.line_of(key)
        )
    return value


def _flag(parent: _Mapping, key: str, where: str, *, default: bool) -> bool:
    value = parent.get(key, default)
    if not isinstance(value, bool):
        raise SchemeError(f"{where}: '{key}' should be true or false", parent.line_of(key))
    return value


def _unique(codes: list[tuple[str, int]], what: str) -> None:
    seen: set[str] = set()
    for code, line in codes:
        if code.casefold() in seen:
            raise SchemeError(f"{what} code '{code}' is used twice", line)
        seen.add(code.casefold())


def _answers(root: _Mapping) -> tuple[AnswerOption, ...]:
    items = _sequence(root, "answers", "The scheme")
    options = []
    for index, raw in enumerate(items):
        item = _mapping(raw, f"Answer {index + 1}", items.item_lines[index])
        where = f"Answer '{item.get('code', index + 1)}'"
        counts = _flag(item, "counts", where, default=True)
        points = int(_number(item, "points", where, default=0 if not counts else None))
        if points < 0:
            raise SchemeError(f"{where}: points cannot be negative", item.line_of("points"))
        options.append(
            AnswerOption(
                code=_text(item, "code", where),
                label=_text(item, "label", where),
                points=points,
                counts=counts,
            )
        )
    _unique([(o.code, items.item_lines[i]) for i, o in enumerate(options)], "Answer")
    if not any(o.counts and o.points > 0 for o in options):
        raise SchemeError("at least one answer must score points", items.line)
    return tuple(options)


def _levels(root: _Mapping) -> tuple[Level, ...]:
    items = _sequence(root, "levels", "The scheme")
    levels: list[Level] = []
    for index, raw in enumerate(items):
        item = _mapping(raw, f"Level {index + 1}", items.item_lines[index])
        where = f"Level '{item.get('code', index + 1)}'"
        level = Level(
            code=_text(item, "code", where),
            name=_text(item, "name", where),
            overall_at_least=_number(item, "overall_at_least", where),
            every_domain_at_least=_number(item, "every_domain_at_least", where, default=0.0),
            essentials_met=_flag(item, "essentials_met", where, default=False),
            renew_after_months=_whole(item, "renew_after_months", where, default=12, least=1),
        )
        for key, value in (
            ("overall_at_least", level.overall_at_least),
            ("every_domain_at_least", level.every_domain_at_least),
        ):
            if not PERCENT_RANGE[0] <= value <= PERCENT_RANGE[1]:
                raise SchemeError(f"{where}: '{key}' is a percentage from 0 to 100", item.line_of(key))
        if levels and level.overall_at_least > levels[-1].overall_at_least:
            raise SchemeError(
                f"{where} asks for more than '{levels[-1].code}' above it: list levels from the highest down",
                item.line_of("overall_at_least"),
            )
        levels.append(level)
    _unique([(level.code, items.item_lines[i]) for i, level in enumerate(levels)], "Level")
    return tuple(levels)


def _sample(entry: _Mapping, label: str, answers: tuple[AnswerOption, ...]) -> SampleRule | None:
    """A sampled standard's rule: `records` and, for answers that score, how many records each needs."""
    if entry.get("sample") is None:
        return None
    raw = _mapping(entry["sample"], f"{label}: 'sample'", entry.line_of("sample"))
    where = f"{label}, sample"
    records = _whole(raw, "records", where, default=0, least=1)
    scoring = {option.code: option for option in answers if option.counts}
    thresholds: list[tuple[str, int]] = []
    for code in raw:
        if code == "records":
            continue
        if code not in scoring:
            raise SchemeError(
                f"{where}: '{code}' is not an answer that scores (use the answers' codes)", raw.line_of(code)
            )
        least = _whole(raw, code, where, default=0, least=1)
        if least > records:
            raise SchemeError(
                f"{where}: '{code}' asks for more than the {records} records", raw.line_of(code)
            )
        thresholds.append((code, least))
    if not thresholds:
        raise SchemeError(f"{where}: say how many records each answer needs (for example 'met: 8')", raw.line)
    thresholds.sort(key=lambda pair: -scoring[pair[0]].points)
    for (higher, more), (lower, fewer) in zip(thresholds, thresholds[1:], strict=False):
        if fewer >= more:
            raise SchemeError(
                f"{where}: '{lower}' must need fewer records than '{higher}'", raw.line_of(lower)
            )
    return SampleRule(records=records, thresholds=tuple(thresholds))


def _domains(root: _Mapping, answers: tuple[AnswerOption, ...]) -> tuple[Domain, ...]:
    items = _sequence(root, "domains", "The scheme")
    domains = []
    standard_codes: list[tuple[str, int]] = []
    for index, raw in enumerate(items):
        item = _mapping(raw, f"Domain {index + 1}", items.item_lines[index])
        where = f"Domain '{item.get('code', index + 1)}'"
        code, title = _text(item, "code", where), _text(item, "title", where)
        listed = _sequence(item, "standards", where)
        standards = []
        for position, raw_standard in enumerate(listed):
            entry = _mapping(raw_standard, f"{where}, standard {position + 1}", listed.item_lines[position])
            label = f"Standard '{entry.get('code', position + 1)}'"
            standards.append(
                Standard(
                    code=_text(entry, "code", label),
                    text=_text(entry, "text", label),
                    weight=_whole(entry, "weight", label, default=1, least=1),
                    essential=_flag(entry, "essential", label, default=False),
                    evidence=_text(entry, "evidence", label, required=False),
                    sample=_sample(entry, label, answers),
                )
            )
            standard_codes.append((standards[-1].code, listed.item_lines[position]))
        domains.append(Domain(code=code, title=title, standards=tuple(standards)))
    _unique([(d.code, items.item_lines[i]) for i, d in enumerate(domains)], "Domain")
    _unique(standard_codes, "Standard")
    return tuple(domains)


def scheme_parse(text: str) -> Scheme:
    """A scheme from the text of its YAML file; SchemeError names the line of the first mistake."""
    try:
        root = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except SchemeError:
        raise
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise SchemeError(f"not valid YAML ({exc.problem})", line) from None
    except yaml.YAMLError as exc:
        raise SchemeError(f"not valid YAML ({exc})") from None
    root = _mapping(root, "The file", 1)
    head = _mapping(root.get("scheme"), "'scheme'", root.line_of("scheme"))
    for key in (
        "key",
        "name",
        "version",
    ):  # the file's identity is checked first, as it is named in every message
        _text(head, key, "'scheme'")
    answers = _answers(root)
    levels = _levels(root)
    cap = _text(head, "failed_essential_caps_at", "'scheme'", required=False)
    if cap and cap not in {level.code for level in levels}:
        raise SchemeError(
            f"'scheme': 'failed_essential_caps_at' should be one of the levels' codes, not '{cap}'",
            head.line_of("failed_essential_caps_at"),
        )
    scheme = Scheme(
        key=_text(head, "key", "'scheme'"),
        name=_text(head, "name", "'scheme'"),
        version=_text(head, "version", "'scheme'"),
        description=_text(head, "description", "'scheme'", required=False),
        not_accredited_label=_text(
            head, "not_accredited_label", "'scheme'", required=False, default="Not yet accredited"
        ),
        reaudit_when_not_accredited_months=_whole(
            head, "reaudit_when_not_accredited_months", "'scheme'", default=3, least=1
        ),
        answers=answers,
        levels=levels,
        domains=_domains(root, answers),
        failed_essential_caps_at=cap,
    )
    unknown = set(root) - {"scheme", "answers", "levels", "domains"}
    if unknown:
        first = min(unknown, key=root.line_of)
        raise SchemeError(f"'{first}' is not part of a scheme file", root.line_of(first))
    return scheme


def scheme_load(path: str | Path) -> Scheme:
    """A scheme from a YAML file on disk."""
    return scheme_parse(Path(path).read_text(encoding="utf-8"))
