"""Eligibility of a dossier against the criteria of Decree 43/2024/NĐ-CP: Art. 6 (People's Artisan) and
Art. 7 (Excellent Artisan). See ../shared/domain/decree-43-2024.md §3.

    report = evaluate(facts_from_dossier(dossier), rules_for_round(dossier.round))
    report.overall                       # "met" | "not_met" | "council"
    report["trainees"].reason_vi         # "Đã truyền dạy nghề cho 149 người; ..."

Every threshold is read from the Rules; none is written here. Each criterion gives one of three
outcomes: "met", "not_met", or "council" when a machine cannot decide (a qualitative criterion, a
special-craft branch, or a threshold whose value is missing or whose confidence is NF: such a rule
never yields "not_met", nor "met").

`overall` is "not_met" if any checkable criterion is not met, "met" if every checkable criterion is
met, else "council". The two qualitative criteria (loyalty, moral standing) are always "council" and
are listed in the results, but left out of `overall`: the council judges them for every dossier, so
counting them would make "met" impossible and every dossier a council case.

The result does not depend on the order of the evidence tuples: everything is sorted here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from dossiers.facts import AwardFact, DossierFacts, WorkFact
from dossiers.models import Award, Confidence, PriorTitle, Title
from dossiers.rulebook import Rule, Rules

MET = "met"
NOT_MET = "not_met"
COUNCIL = "council"

LOYALTY = "loyalty"
MORAL_STANDING = "moral_standing"
PRIOR_TITLE = "prior_title"
YEARS_IN_CRAFT = "years_in_craft"
NEW_WORKS_AFTER_TITLE = "new_works_after_title"
WORKS = "works"
PRIZED_WORKS = "prized_works"
TRAINEES = "trainees"

# Judged by the council for every dossier: shown, but not part of `overall`.
QUALITATIVE = frozenset({LOYALTY, MORAL_STANDING})

# The rulebook prefix of each title, and the rule whose article ("Điều 6", "Điều 7") the qualitative
# criteria cite (the rulebook has no parameter of their own: they have no number).
_PREFIX = {Title.PEOPLES: "nnnd", Title.EXCELLENT: "nnut"}
_ARTICLE_ANCHOR = {Title.PEOPLES: "nnnd.required_prior_title", Title.EXCELLENT: "nnut.min_works"}

# Prize levels, best first: a rule's min_level accepts its own level and every better one.
_LEVELS_BEST_FIRST = (Award.Level.FIRST, Award.Level.SECOND, Award.Level.THIRD, Award.Level.CONSOLATION)
_LEVEL_RANK = {str(level): rank for rank, level in enumerate(_LEVELS_BEST_FIRST)}

_ONE_DAY = timedelta(days=1)
_MONTHS_PER_YEAR = 12

# ---------------------------------------------------------------------------------------------------
# Every sentence shown to people, in the two languages. Placeholders are filled from the figures.
# `{note}` is empty, or ", " + the note on the rule's confidence (P, NF).
# ---------------------------------------------------------------------------------------------------
_TEMPLATES: dict[str, dict[str, str]] = {
    "vi": {
        "title.excellent": "Nghệ nhân ưu tú",
        "title.peoples": "Nghệ nhân nhân dân",
        "label.loyalty": "Trung thành với Tổ quốc; chấp hành chủ trương, chính sách, pháp luật",
        "label.moral_standing": "Phẩm chất đạo đức, tâm huyết với nghề, được đồng nghiệp và Nhân dân mến mộ",
        "label.prior_title": "Danh hiệu đã được tặng",
        "label.years_in_craft": "Thời gian hoạt động trong nghề",
        "label.new_works_after_title": "Sản phẩm, tác phẩm mới sau khi được phong tặng",
        "label.works": "Số sản phẩm, tác phẩm",
        "label.prized_works": "Sản phẩm, tác phẩm đạt giải",
        "label.trainees": "Truyền dạy nghề",
        "value.unknown": "chưa có",
        "value.people": "{count} người",
        "confidence.P": (
            "mức tin cậy P: con số của nghị định trước, chưa được xác nhận trong Nghị định {legal_basis}"
        ),
        "confidence.NF": "mức tin cậy NF: không tìm thấy đầy đủ trong văn bản",
        "qualitative": "{label}: tiêu chí định tính, Hội đồng đánh giá ({article})",
        "unknown_threshold": (
            "{label}: chưa có ngưỡng để kiểm tra tự động ({rule_key} = {value}; {article}{note}); "
            "Hội đồng xem xét"
        ),
        "prior_title.met": (
            "Đã được tặng danh hiệu “{required_title}” trong lĩnh vực nghề thủ công mỹ nghệ "
            "(quyết định số {decision_number} ngày {decision_date}) ({article}{note})"
        ),
        "prior_title.not_met": (
            "Chưa có danh hiệu “{required_title}” trong lĩnh vực nghề thủ công mỹ nghệ ({article}{note})"
        ),
        "prior_title.heritage_only": (
            "Chưa có danh hiệu “{required_title}” trong lĩnh vực nghề thủ công mỹ nghệ; danh hiệu trong "
            "lĩnh vực di sản văn hóa phi vật thể không được tính ({article}{note})"
        ),
        "years_in_craft": (
            "Có {years} năm {months} tháng trong nghề; yêu cầu từ {required} năm ({article}{note})"
        ),
        "new_works_after_title": (
            "Có {count} sản phẩm, tác phẩm mới hoàn thành sau ngày phong tặng {title_date} đạt tiêu chí "
            "giải thưởng; yêu cầu từ {required} ({article}{note})"
        ),
        "new_works_after_title.no_title": (
            "Không có ngày phong tặng “{required_title}” để tính sản phẩm, tác phẩm mới; "
            "yêu cầu từ {required} ({article}{note})"
        ),
        "works": "Có {count} sản phẩm, tác phẩm; yêu cầu từ {required} ({article}{note})",
        "prized_works": (
            "Có {count} sản phẩm, tác phẩm đạt tiêu chí giải thưởng; yêu cầu từ {required} ({article}{note})"
        ),
        "trainees": "Đã truyền dạy nghề cho {count} người; yêu cầu từ {required} người ({article}{note})",
        "trainees.special": (
            "Đã truyền dạy nghề cho {count} người; yêu cầu từ {required} người ({article}{note}). "
            "Nghề thủ công mỹ nghệ đặc thù: mức riêng {special_value} "
            "({special_article}{special_note}); Hội đồng xem xét"
        ),
    },
    "en": {
        "title.excellent": "Excellent Artisan",
        "title.peoples": "People's Artisan",
        "label.loyalty": "Loyalty to the Fatherland; compliance with the Party's policies and the law",
        "label.moral_standing": "Moral standing, devotion to the craft, esteem of peers and the people",
        "label.prior_title": "Title already held",
        "label.years_in_craft": "Time in the craft",
        "label.new_works_after_title": "New works made after the title",
        "label.works": "Number of works",
        "label.prized_works": "Prized works",
        "label.trainees": "Teaching the craft",
        "value.unknown": "not known",
        "value.people": "{count} people",
        "confidence.P": (
            "confidence P: the predecessor decree's number, not confirmed for Decree {legal_basis}"
        ),
        "confidence.NF": "confidence NF: not found in full in the text",
        "qualitative": "{label}: a qualitative criterion, judged by the council ({article})",
        "unknown_threshold": (
            "{label}: no threshold a machine can check ({rule_key} = {value}; {article}{note}); "
            "the council judges"
        ),
        "prior_title.met": (
            "Holds the title “{required_title}” in handicrafts "
            "(decision {decision_number} of {decision_date}) ({article}{note})"
        ),
        "prior_title.not_met": "Does not hold the title “{required_title}” in handicrafts ({article}{note})",
        "prior_title.heritage_only": (
            "Does not hold the title “{required_title}” in handicrafts; a title in the intangible cultural "
            "heritage field does not count ({article}{note})"
        ),
        "years_in_craft": (
            "{years} years {months} months in the craft; at least {required} years required ({article}{note})"
        ),
        "new_works_after_title": (
            "New works completed after the title of {title_date} that meet a prize criterion: {count}; "
            "at least {required} required ({article}{note})"
        ),
        "new_works_after_title.no_title": (
            "No “{required_title}” decision date to count new works from; "
            "at least {required} required ({article}{note})"
        ),
        "works": "Works: {count}; at least {required} required ({article}{note})",
        "prized_works": (
            "Works that meet a prize criterion: {count}; at least {required} required ({article}{note})"
        ),
        "trainees": "Taught the craft to {count} people; at least {required} required ({article}{note})",
        "trainees.special": (
            "Taught the craft to {count} people; at least {required} required ({article}{note}). "
            "Special craft: its own threshold is {special_value} "
            "({special_article}{special_note}); the council judges"
        ),
    },
}
_LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class _Localised:
    """A figure shown differently in each language."""

    vi: str
    en: str


def _text(name: str) -> _Localised:
    return _Localised(vi=_TEMPLATES["vi"][name], en=_TEMPLATES["en"][name])


def _render(name: str, values: dict[str, Any]) -> tuple[str, str]:
    rendered = []
    for language in _LANGUAGES:
        filled = {k: getattr(v, language) if isinstance(v, _Localised) else v for k, v in values.items()}
        rendered.append(_TEMPLATES[language][name].format(**filled))
    return rendered[0], rendered[1]


def _note(rule: Rule, rules: Rules) -> _Localised:
    """The note on a rule's confidence (after ", "), for the marks that change how a figure reads."""
    name = f"confidence.{rule.confidence}"
    if name not in _TEMPLATES["vi"]:
        return _Localised(vi="", en="")
    vi, en = _render(name, {"legal_basis": rules.legal_basis})
    return _Localised(vi=f", {vi}", en=f", {en}")


def _people(count: Any) -> _Localised:
    if count is None:
        return _text("value.unknown")
    vi, en = _render("value.people", {"count": count})
    return _Localised(vi=vi, en=en)


def _date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


# ---------------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionResult:
    """One criterion. `evidence_ids` are (kind, id) pairs, kind one of "prior_title", "period", "work",
    "award", "trainee", sorted. `figures` holds the numbers the reason is built from (JSON-friendly)."""

    key: str
    outcome: str
    article: str
    confidence: str
    evidence_ids: tuple[tuple[str, int], ...]
    reason_vi: str
    reason_en: str
    figures: dict[str, Any] = field(default_factory=dict, hash=False)

    def reason(self, language: str) -> str:
        return self.reason_vi if language == "vi" else self.reason_en

    @property
    def label_vi(self) -> str:
        return _TEMPLATES["vi"][f"label.{self.key}"]

    @property
    def label_en(self) -> str:
        return _TEMPLATES["en"][f"label.{self.key}"]


@dataclass(frozen=True)
class EligibilityReport:
    title: str
    results: tuple[CriterionResult, ...]
    overall: str

    def __getitem__(self, key: str) -> CriterionResult:
        for result in self.results:
            if result.key == key:
                return result
        raise KeyError(key)

    def __contains__(self, key: str) -> bool:
        return any(result.key == key for result in self.results)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(result.key for result in self.results)


def evaluate(facts: DossierFacts, rules: Rules) -> EligibilityReport:
    """Check a dossier's facts against the criteria of its title, under the given rules."""
    if facts.title == Title.PEOPLES:
        results = (
            _prior_title(facts, rules),
            _qualitative(LOYALTY, facts.title, rules),
            _years_in_craft(facts, rules),
            _qualitative(MORAL_STANDING, facts.title, rules),
            _new_works_after_title(facts, rules),
            _trainees(facts, rules),
        )
    elif facts.title == Title.EXCELLENT:
        results = (
            _qualitative(LOYALTY, facts.title, rules),
            _years_in_craft(facts, rules),
            _qualitative(MORAL_STANDING, facts.title, rules),
            _works(facts, rules),
            _prized_works(facts, rules),
            _trainees(facts, rules),
        )
    else:
        raise ValueError(f"unknown title {facts.title!r}")
    return EligibilityReport(title=str(facts.title), results=results, overall=overall_of(results))


def overall_of(results: tuple[CriterionResult, ...]) -> str:
    outcomes = {r.outcome for r in results if r.key not in QUALITATIVE}
    if NOT_MET in outcomes:
        return NOT_MET
    if outcomes <= {MET}:
        return MET
    return COUNCIL


def _usable(rule: Rule) -> bool:
    """A threshold the machine may decide with: it has a value and was found in the text."""
    return rule.value is not None and rule.confidence != Confidence.NOT_FOUND


def _result(
    key: str,
    outcome: str,
    rule: Rule,
    rules: Rules,
    template: str,
    *,
    evidence=(),
    figures: dict[str, Any],
    shown: dict[str, Any] | None = None,
) -> CriterionResult:
    """A result citing `rule`; the reason is `template` filled with the figures, the rule's article and
    confidence note, and `shown` (values for display only, which take precedence)."""
    values = {**figures, "article": rule.article, "note": _note(rule, rules), **(shown or {})}
    vi, en = _render(template, values)
    return CriterionResult(
        key=key,
        outcome=outcome,
        article=rule.article,
        confidence=rule.confidence,
        evidence_ids=tuple(sorted(set(evidence))),
        reason_vi=vi,
        reason_en=en,
        figures=figures,
    )


def _undecidable(key: str, rule: Rule, rules: Rules, *, evidence=(), figures=None) -> CriterionResult:
    """The council judges: `rule` has no value, or its confidence is NF."""
    value = _text("value.unknown") if rule.value is None else rule.value
    return _result(
        key,
        COUNCIL,
        rule,
        rules,
        "unknown_threshold",
        evidence=evidence,
        figures={**(figures or {}), "rule_key": rule.key},
        shown={"label": _text(f"label.{key}"), "value": value},
    )


def _qualitative(key: str, title: str, rules: Rules) -> CriterionResult:
    anchor = rules[_ARTICLE_ANCHOR[title]]
    vi, en = _render("qualitative", {"label": _text(f"label.{key}"), "article": anchor.article})
    return CriterionResult(
        key=key,
        outcome=COUNCIL,
        article=anchor.article,
        confidence=anchor.confidence,
        evidence_ids=(),
        reason_vi=vi,
        reason_en=en,
        figures={},
    )


# ---------------------------------------------------------------------------------------------------
# Prior title (People's Artisan)
# ---------------------------------------------------------------------------------------------------


def _qualifying_prior_titles(facts: DossierFacts, rules: Rules):
    required = rules.value("nnnd.required_prior_title")
    return sorted(
        (t for t in facts.prior_titles if t.title == required and t.field == PriorTitle.Field.HANDICRAFT),
        key=lambda t: (t.decision_date, t.id),
    )


def _prior_title(facts: DossierFacts, rules: Rules) -> CriterionResult:
    rule = rules["nnnd.required_prior_title"]
    if not _usable(rule):
        return _undecidable(PRIOR_TITLE, rule, rules)
    shown = {"required_title": _text(f"title.{rule.value}")}
    qualifying = _qualifying_prior_titles(facts, rules)
    if qualifying:
        first = qualifying[0]
        return _result(
            PRIOR_TITLE,
            MET,
            rule,
            rules,
            "prior_title.met",
            evidence=[("prior_title", t.id) for t in qualifying],
            figures={
                "required_title": rule.value,
                "decision_number": first.decision_number,
                "decision_date": first.decision_date.isoformat(),
            },
            shown={**shown, "decision_date": _date(first.decision_date)},
        )
    other_fields = [t for t in facts.prior_titles if t.title == rule.value]
    return _result(
        PRIOR_TITLE,
        NOT_MET,
        rule,
        rules,
        "prior_title.heritage_only" if other_fields else "prior_title.not_met",
        evidence=[("prior_title", t.id) for t in other_fields],
        figures={"required_title": rule.value, "titles_in_other_fields": len(other_fields)},
        shown=shown,
    )


# ---------------------------------------------------------------------------------------------------
# Years in the craft
# ---------------------------------------------------------------------------------------------------


def _years_in_craft(facts: DossierFacts, rules: Rules) -> CriterionResult:
    """Time in the craft ≥ N years (`<prefix>.min_years_in_craft`), continuous or cumulative.

    Periods that overlap or touch (one ends the day before the next starts) are first merged, so no
    day is counted twice. Then the criterion is met when either
    - one merged period is N calendar years long: end ≥ start + N years − 1 day (01/01/2005–31/12/2024
      is exactly 20 years; a period starting on 29 February reaches its anniversary on 1 March in a
      common year, so it must run through 28 February); or
    - cumulatively: the sum of the inclusive day counts of the merged periods, divided by
      `craft_years.days_per_year`, is ≥ N (compared exactly, without floating point).
    The reason shows years and months: the calendar length of a single period, else the cumulative days
    converted with days_per_year (whole years, then whole twelfths of a year).
    """
    rule = rules[f"{_PREFIX[facts.title]}.min_years_in_craft"]
    evidence = [("period", p.id) for p in facts.periods]
    if not _usable(rule):
        return _undecidable(YEARS_IN_CRAFT, rule, rules, evidence=evidence)
    required = rule.value
    per_year_rule = rules["craft_years.days_per_year"]
    per_year = _per_year(rules)

    merged = _merge(facts.periods)
    days = sum((end - start).days + 1 for start, end in merged)
    continuous = _is_whole(required) and any(
        end >= _add_years(start, int(required)) - _ONE_DAY for start, end in merged
    )
    cumulative = per_year is not None and days >= Fraction(str(required)) * per_year
    years, months = craft_span(facts.periods, rules)

    figures = {
        "days": days,
        "years": years,
        "months": months,
        "required": required,
        "periods": len(merged),
        "continuous": continuous,
    }
    if continuous or cumulative:
        outcome = MET
    elif per_year is None and len(merged) > 1:
        # Several periods and no way to add them up: not for the machine to refuse.
        return _undecidable(YEARS_IN_CRAFT, per_year_rule, rules, evidence=evidence, figures=figures)
    else:
        outcome = NOT_MET
    return _result(YEARS_IN_CRAFT, outcome, rule, rules, "years_in_craft", evidence=evidence, figures=figures)


def _per_year(rules: Rules) -> Fraction | None:
    rule = rules["craft_years.days_per_year"]
    return Fraction(str(rule.value)) if _usable(rule) else None


def craft_span(periods, rules: Rules) -> tuple[int, int]:
    """Years and months in the craft, as the eligibility report states them: the calendar length of a
    single (merged) period, else the cumulative days over `craft_years.days_per_year`. `periods` are
    anything with `start` and `end` (PeriodFact, CraftPeriod). Pages and documents show this figure."""
    merged = _merge(periods)
    per_year = _per_year(rules)
    if len(merged) == 1:
        return _calendar_span(*merged[0])
    if per_year is not None:
        return _span_of_days(sum((end - start).days + 1 for start, end in merged), per_year)
    return divmod(sum(_months_between(s, e) for s, e in merged), _MONTHS_PER_YEAR)


def _merge(periods) -> list[tuple[date, date]]:
    spans = sorted((p.start, p.end) for p in periods if p.end >= p.start)
    merged: list[tuple[date, date]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + _ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _is_whole(value: Any) -> bool:
    return isinstance(value, int | float) and float(value).is_integer()


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year: the anniversary is 1 March
        return date(day.year + years, day.month + 1, 1)


def _months_between(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end`, both included."""
    stop = end + _ONE_DAY
    months = (stop.year - start.year) * _MONTHS_PER_YEAR + stop.month - start.month
    if stop.day < start.day:
        months -= 1
    return months


def _calendar_span(start: date, end: date) -> tuple[int, int]:
    return divmod(_months_between(start, end), _MONTHS_PER_YEAR)


def _span_of_days(days: int, per_year: Fraction) -> tuple[int, int]:
    years = int(days // per_year)
    months = int((days - years * per_year) * _MONTHS_PER_YEAR // per_year)
    return years, months


# ---------------------------------------------------------------------------------------------------
# Works and prizes
# ---------------------------------------------------------------------------------------------------


def _award_qualifies(award: AwardFact, prize_rules: list[dict[str, Any]]) -> bool:
    """Whether an award meets one of the prize rules: scope in the rule's scopes, level at least its
    min_level (first > second > third > consolation), and the organiser / State-sent flags it requires."""
    rank = _LEVEL_RANK.get(award.level)
    if rank is None:
        return False
    for prize_rule in prize_rules:
        min_rank = _LEVEL_RANK.get(prize_rule.get("min_level"))
        if (
            min_rank is not None
            and award.scope in prize_rule.get("scopes", ())
            and rank <= min_rank
            and (award.organiser_is_competent or not prize_rule.get("requires_competent_organiser"))
            and (award.state_appointed or not prize_rule.get("requires_state_appointed"))
        ):
            return True
    return False


def _prized(
    works: list[WorkFact], awards: tuple[AwardFact, ...], prize_rules: list[dict[str, Any]]
) -> tuple[list[WorkFact], list[AwardFact]]:
    """The works among `works` with at least one qualifying award, and those awards."""
    ids = {w.id for w in works}
    winning = [a for a in awards if a.work_id in ids and _award_qualifies(a, prize_rules)]
    won = {a.work_id for a in winning}
    return sorted((w for w in works if w.id in won), key=lambda w: w.id), sorted(winning, key=lambda a: a.id)


def _new_works_after_title(facts: DossierFacts, rules: Rules) -> CriterionResult:
    """People's Artisan: works completed after the Excellent Artisan decision date (strictly after,
    unless `nnnd.work_made_on_title_date_counts`), each with an award meeting `nnnd.work_prize_rules`;
    at least `nnnd.min_new_works_after_title` of them. The date is that of the earliest qualifying
    prior title."""
    rule = rules["nnnd.min_new_works_after_title"]
    prize_rule = rules["nnnd.work_prize_rules"]
    for needed in (rule, prize_rule):
        if not _usable(needed):
            return _undecidable(NEW_WORKS_AFTER_TITLE, needed, rules)
    required = rule.value
    titles = _qualifying_prior_titles(facts, rules)
    if not titles:
        return _result(
            NEW_WORKS_AFTER_TITLE,
            NOT_MET,
            rule,
            rules,
            "new_works_after_title.no_title",
            figures={"count": 0, "required": required},
            shown={"required_title": _text(f"title.{rules.value('nnnd.required_prior_title')}")},
        )
    title_date = titles[0].decision_date
    same_day_counts = bool(rules.value("nnnd.work_made_on_title_date_counts"))
    after = [
        w
        for w in facts.works
        if w.completed_on > title_date or (same_day_counts and w.completed_on == title_date)
    ]
    works, awards = _prized(after, facts.awards, prize_rule.value)
    return _result(
        NEW_WORKS_AFTER_TITLE,
        MET if len(works) >= required else NOT_MET,
        rule,
        rules,
        "new_works_after_title",
        evidence=[("work", w.id) for w in works] + [("award", a.id) for a in awards],
        figures={
            "count": len(works),
            "required": required,
            "title_date": title_date.isoformat(),
            "works_after_title": len(after),
        },
        shown={"title_date": _date(title_date)},
    )


def _works(facts: DossierFacts, rules: Rules) -> CriterionResult:
    rule = rules[f"{_PREFIX[facts.title]}.min_works"]
    evidence = [("work", w.id) for w in facts.works]
    if not _usable(rule):
        return _undecidable(WORKS, rule, rules, evidence=evidence)
    count = len({w.id for w in facts.works})
    return _result(
        WORKS,
        MET if count >= rule.value else NOT_MET,
        rule,
        rules,
        "works",
        evidence=evidence,
        figures={"count": count, "required": rule.value},
    )


def _prized_works(facts: DossierFacts, rules: Rules) -> CriterionResult:
    prefix = _PREFIX[facts.title]
    rule = rules[f"{prefix}.min_prized_works"]
    prize_rule = rules[f"{prefix}.work_prize_rules"]
    for needed in (rule, prize_rule):
        if not _usable(needed):
            return _undecidable(PRIZED_WORKS, needed, rules)
    works, awards = _prized(list(facts.works), facts.awards, prize_rule.value)
    return _result(
        PRIZED_WORKS,
        MET if len(works) >= rule.value else NOT_MET,
        rule,
        rules,
        "prized_works",
        evidence=[("work", w.id) for w in works] + [("award", a.id) for a in awards],
        figures={"count": len(works), "required": rule.value},
    )


# ---------------------------------------------------------------------------------------------------
# Trainees
# ---------------------------------------------------------------------------------------------------


def _trainees(facts: DossierFacts, rules: Rules) -> CriterionResult:
    """Sum of trainees ≥ `<prefix>.min_trainees` → met. Otherwise, for a special craft (or when the
    dossier claims the special-craft branch) → council, citing `<prefix>.min_trainees_special_craft`:
    what its number refers to is not known (NF), so the council judges. Otherwise → not met."""
    prefix = _PREFIX[facts.title]
    rule = rules[f"{prefix}.min_trainees"]
    special = rules[f"{prefix}.min_trainees_special_craft"]
    evidence = [("trainee", t.id) for t in facts.trainees]
    count = sum(t.count for t in facts.trainees)
    special_case = facts.craft_is_special or facts.special_branch_claimed
    figures = {
        "count": count,
        "required": rule.value,
        "special_craft": facts.craft_is_special,
        "special_branch_claimed": facts.special_branch_claimed,
    }
    if _usable(rule) and count >= rule.value:
        return _result(TRAINEES, MET, rule, rules, "trainees", evidence=evidence, figures=figures)
    if special_case:
        special_note = _note(special, rules)
        return _result(
            TRAINEES,
            COUNCIL,
            special,
            rules,
            "trainees.special",
            evidence=evidence,
            figures={**figures, "special_required": special.value},
            shown={
                "required": rule.value if rule.value is not None else _text("value.unknown"),
                "article": rule.article,
                "note": _note(rule, rules),
                "special_value": _people(special.value),
                "special_article": special.article,
                "special_note": special_note,
            },
        )
    if not _usable(rule):
        return _undecidable(TRAINEES, rule, rules, evidence=evidence, figures=figures)
    return _result(TRAINEES, NOT_MET, rule, rules, "trainees", evidence=evidence, figures=figures)
