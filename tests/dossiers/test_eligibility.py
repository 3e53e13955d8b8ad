"""Eligibility against Decree 43/2024 Art. 6 (People's Artisan) and Art. 7 (Excellent Artisan), at the
edges of the law. Literals here state the law's edges; the code reads them from the rulebook."""

import ast
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from dossiers import eligibility
from dossiers.eligibility import COUNCIL, MET, NOT_MET, QUALITATIVE, evaluate
from dossiers.eligibility import messages as eligibility_messages
from dossiers.eligibility.craft_years import calendar_span
from dossiers.facts import AwardFact, DossierFacts, PeriodFact, PriorTitleFact, TraineeFact, WorkFact
from dossiers.rulebook import Rule, Rules

TITLE_DATE = date(2016, 8, 26)  # the Excellent Artisan decision


def prior(title="excellent", field="handicraft", on=TITLE_DATE, id=1):
    return PriorTitleFact(id=id, title=title, field=field, decision_number="1000/QĐ-CTN", decision_date=on)


def work(id, completed_on):
    return WorkFact(id=id, name=f"Tác phẩm {id}", completed_on=completed_on)


def award(id, work_id, level="second", scope="national", competent=True, state=False, on=None):
    return AwardFact(
        id=id,
        work_id=work_id,
        level=level,
        scope=scope,
        organiser_is_competent=competent,
        state_appointed=state,
        awarded_on=on or date(2022, 9, 1),
    )


def trainees(*counts):
    return tuple(
        TraineeFact(id=i, count=c, start=date(2000 + i, 1, 1), end=date(2000 + i, 12, 31))
        for i, c in enumerate(counts, 1)
    )


def periods(*spans):
    return tuple(PeriodFact(id=i, start=s, end=e) for i, (s, e) in enumerate(spans, 1))


def peoples(**over) -> DossierFacts:
    """A People's Artisan dossier that meets every checkable criterion of v1."""
    values = {
        "title": "peoples",
        "prior_titles": (prior(),),
        "periods": periods((date(1990, 1, 1), date(2024, 12, 31))),
        "works": (work(1, date(2019, 5, 1)), work(2, date(2021, 3, 1))),
        "awards": (award(1, 1), award(2, 2)),
        "trainees": trainees(150),
        "received_on": date(2025, 9, 20),
    }
    values.update(over)
    return DossierFacts(**values)


def excellent(**over) -> DossierFacts:
    """An Excellent Artisan dossier that meets every checkable criterion of v1."""
    values = {
        "title": "excellent",
        "periods": periods((date(2000, 1, 1), date(2024, 12, 31))),
        "works": tuple(work(i, date(2010 + i, 1, 1)) for i in range(1, 11)),
        "awards": (award(1, 1, level="second", scope="provincial"),),
        "trainees": trainees(100),
        "received_on": date(2025, 9, 20),
    }
    values.update(over)
    return DossierFacts(**values)


def with_confidence(rules: Rules, key: str, confidence: str) -> Rules:
    changed = {r.key: r for r in rules}
    changed[key] = Rule(**{**rules[key].__dict__, "confidence": confidence})
    return Rules(changed, legal_basis=rules.legal_basis, version=rules.version)


# --- the whole report -------------------------------------------------------------------------------


def test_peoples_artisan_meeting_every_criterion(rules_v1):
    report = evaluate(peoples(), rules_v1)
    assert report.keys == (
        "prior_title",
        "loyalty",
        "years_in_craft",
        "moral_standing",
        "new_works_after_title",
        "trainees",
    )
    assert {r.key: r.outcome for r in report.results} == {
        "prior_title": MET,
        "loyalty": COUNCIL,
        "years_in_craft": MET,
        "moral_standing": COUNCIL,
        "new_works_after_title": MET,
        "trainees": MET,
    }
    assert report.overall == MET


def test_excellent_artisan_meeting_every_criterion(rules_v1):
    report = evaluate(excellent(), rules_v1)
    assert report.keys == ("loyalty", "years_in_craft", "moral_standing", "works", "prized_works", "trainees")
    assert all(r.outcome == MET for r in report.results if r.key not in QUALITATIVE)
    assert report.overall == MET


@pytest.mark.parametrize("make", [peoples, excellent])
def test_qualitative_criteria_are_always_for_the_council_and_cite_the_article(rules_v1, make):
    report = evaluate(make(), rules_v1)
    article = "Điều 6" if make is peoples else "Điều 7"
    for key in ("loyalty", "moral_standing"):
        assert report[key].outcome == COUNCIL
        assert report[key].article == article
        assert f"({article})" in report[key].reason_vi and f"({article})" in report[key].reason_en


def test_each_result_carries_its_rules_article_and_confidence(rules_v1):
    report = evaluate(peoples(), rules_v1)
    assert (report["years_in_craft"].article, report["years_in_craft"].confidence) == ("Điều 6 khoản 2", "C")
    assert (report["trainees"].article, report["trainees"].confidence) == ("Điều 6 khoản 5", "C")
    nnut = evaluate(excellent(), rules_v1)
    assert (nnut["years_in_craft"].article, nnut["years_in_craft"].confidence) == ("Điều 7", "SEC")
    assert (nnut["trainees"].article, nnut["trainees"].confidence) == ("Điều 7", "P")


def test_overall_is_not_met_when_any_criterion_fails_and_council_when_one_needs_judgement(rules_v1):
    assert evaluate(peoples(trainees=trainees(149)), rules_v1).overall == NOT_MET
    assert evaluate(peoples(trainees=trainees(149), craft_is_special=True), rules_v1).overall == COUNCIL
    failing_and_special = peoples(trainees=trainees(149), craft_is_special=True, prior_titles=())
    assert evaluate(failing_and_special, rules_v1).overall == NOT_MET


# --- years in the craft -----------------------------------------------------------------------------


def test_exactly_twenty_years_in_one_period_is_met(rules_v1):
    result = evaluate(peoples(periods=periods((date(2005, 1, 1), date(2024, 12, 31)))), rules_v1)[
        "years_in_craft"
    ]
    assert result.outcome == MET
    assert (result.figures["years"], result.figures["months"]) == (20, 0)
    assert result.reason_vi == "Có 20 năm 0 tháng trong nghề; yêu cầu từ 20 năm (Điều 6 khoản 2)"


def test_nineteen_years_eleven_months_in_one_period_is_not_met(rules_v1):
    result = evaluate(peoples(periods=periods((date(2005, 1, 1), date(2024, 11, 30)))), rules_v1)[
        "years_in_craft"
    ]
    assert result.outcome == NOT_MET
    assert result.reason_vi == "Có 19 năm 11 tháng trong nghề; yêu cầu từ 20 năm (Điều 6 khoản 2)"
    assert result.reason_en == (
        "19 years 11 months in the craft; at least 20 years required (Điều 6 khoản 2)"
    )
    assert result.evidence_ids == (("period", 1),)


def test_one_day_short_of_twenty_years_is_not_met(rules_v1):
    result = evaluate(peoples(periods=periods((date(2005, 1, 2), date(2024, 12, 31)))), rules_v1)
    assert result["years_in_craft"].outcome == NOT_MET


def test_fifteen_calendar_years_with_only_three_leap_days_is_met(rules_v1):
    # 01/01/2005–31/12/2019 has 5,478 days (< 15 × 365.25) but is fifteen calendar years.
    facts = excellent(periods=periods((date(2005, 1, 1), date(2019, 12, 31))))
    result = evaluate(facts, rules_v1)["years_in_craft"]
    assert result.figures["days"] == 5478
    assert result.outcome == MET and result.figures["continuous"]
    assert (result.figures["years"], result.figures["months"]) == (15, 0)


def test_a_period_from_29_february_reaches_its_anniversary_on_1_march(rules_v1):
    met = excellent(periods=periods((date(2004, 2, 29), date(2019, 2, 28))))
    short = excellent(periods=periods((date(2004, 2, 29), date(2019, 2, 27))))
    assert evaluate(met, rules_v1)["years_in_craft"].outcome == MET
    assert evaluate(short, rules_v1)["years_in_craft"].outcome == NOT_MET


def test_exactly_twenty_years_cumulative_over_two_periods_is_met(rules_v1):
    # 10 years, then 9 years 11 months 30 days: several periods' 30 left-over days make a month
    facts = peoples(
        periods=periods((date(2000, 1, 1), date(2009, 12, 31)), (date(2015, 1, 1), date(2024, 12, 30)))
    )
    result = evaluate(facts, rules_v1)["years_in_craft"]
    assert result.figures["days"] == 7305
    assert result.outcome == MET
    assert result.reason_vi == "Có 20 năm 0 tháng trong nghề; yêu cầu từ 20 năm (Điều 6 khoản 2)"
    assert result.evidence_ids == (("period", 1), ("period", 2))


def test_nineteen_years_eleven_months_cumulative_over_two_periods_is_not_met(rules_v1):
    facts = peoples(
        periods=periods((date(2000, 1, 1), date(2009, 12, 31)), (date(2015, 1, 1), date(2024, 11, 30)))
    )
    result = evaluate(facts, rules_v1)["years_in_craft"]
    assert result.outcome == NOT_MET
    assert result.reason_vi == "Có 19 năm 11 tháng trong nghề; yêu cầu từ 20 năm (Điều 6 khoản 2)"


def test_cumulative_one_day_short_is_not_met(rules_v1):
    facts = peoples(
        periods=periods((date(2000, 1, 1), date(2009, 12, 31)), (date(2015, 1, 1), date(2024, 12, 29)))
    )
    assert evaluate(facts, rules_v1)["years_in_craft"].outcome == NOT_MET


def test_overlapping_periods_are_merged_not_counted_twice(rules_v1):
    # Added up naively these are 10 + ~15 years; merged they are 01/01/2005–30/11/2024.
    facts = peoples(
        periods=periods((date(2005, 1, 1), date(2014, 12, 31)), (date(2010, 1, 1), date(2024, 11, 30)))
    )
    result = evaluate(facts, rules_v1)["years_in_craft"]
    assert result.outcome == NOT_MET
    assert (result.figures["years"], result.figures["months"], result.figures["periods"]) == (19, 11, 1)
    duplicated = peoples(periods=periods(*[(date(2010, 1, 1), date(2024, 12, 31))] * 2))
    assert evaluate(duplicated, rules_v1)["years_in_craft"].outcome == NOT_MET


def test_back_to_back_periods_are_one_continuous_period(rules_v1):
    facts = peoples(
        periods=periods((date(2005, 1, 1), date(2014, 12, 31)), (date(2015, 1, 1), date(2024, 12, 31)))
    )
    result = evaluate(facts, rules_v1)["years_in_craft"]
    assert result.outcome == MET and result.figures["continuous"] and result.figures["periods"] == 1


def test_no_period_is_not_met(rules_v1):
    result = evaluate(peoples(periods=()), rules_v1)["years_in_craft"]
    assert result.outcome == NOT_MET and result.figures["days"] == 0


def test_excellent_artisan_fifteen_years_edge(rules_v1):
    met = excellent(periods=periods((date(2010, 1, 1), date(2024, 12, 31))))
    short = excellent(periods=periods((date(2010, 1, 1), date(2024, 11, 30))))
    assert evaluate(met, rules_v1)["years_in_craft"].outcome == MET
    result = evaluate(short, rules_v1)["years_in_craft"]
    assert result.outcome == NOT_MET
    assert result.reason_vi == "Có 14 năm 11 tháng trong nghề; yêu cầu từ 15 năm (Điều 7)"


def test_years_threshold_comes_from_the_rules(rules_v1):
    facts = peoples(periods=periods((date(2005, 1, 1), date(2024, 11, 30))))
    assert evaluate(facts, rules_v1.with_values(nnnd__min_years_in_craft=19))["years_in_craft"].outcome == MET


# Calendar counting (craft_years.days_per_month): each period in years, months and days, then summed.


def test_two_periods_of_exactly_ten_calendar_years_make_twenty(rules_v1):
    # 7,305 days over two periods, each a ten-year stretch with its own leap days: 20 years, not 19y 11m.
    facts = peoples(
        periods=periods((date(2000, 3, 15), date(2010, 3, 14)), (date(2012, 3, 15), date(2022, 3, 14)))
    )
    result = evaluate(facts, rules_v1)["years_in_craft"]
    assert result.outcome == MET
    assert (result.figures["years"], result.figures["months"], result.figures["left_days"]) == (20, 0, 0)
    assert result.reason_vi == "Có 20 năm 0 tháng trong nghề; yêu cầu từ 20 năm (Điều 6 khoản 2)"


def test_two_periods_one_day_short_of_twenty_years_is_not_met(rules_v1):
    facts = peoples(
        periods=periods((date(2000, 3, 15), date(2010, 3, 14)), (date(2012, 3, 15), date(2022, 3, 13)))
    )
    result = evaluate(facts, rules_v1)["years_in_craft"]
    assert result.outcome == NOT_MET
    assert (result.figures["years"], result.figures["months"], result.figures["left_days"]) == (19, 11, 27)


def test_three_periods_of_exactly_twenty_years_are_met_and_one_day_less_is_not(rules_v1):
    spans = [
        (date(1995, 7, 1), date(2001, 12, 31)),  # 6 years 6 months
        (date(2003, 1, 1), date(2009, 12, 31)),  # 7 years
        (date(2012, 1, 1), date(2018, 6, 30)),  # 6 years 6 months
    ]
    result = evaluate(peoples(periods=periods(*spans)), rules_v1)["years_in_craft"]
    assert result.outcome == MET and (result.figures["years"], result.figures["months"]) == (20, 0)
    short = [*spans[:2], (date(2012, 1, 1), date(2018, 6, 29))]  # 6 years 5 months 29 days
    result = evaluate(peoples(periods=periods(*short)), rules_v1)["years_in_craft"]
    assert result.outcome == NOT_MET
    assert (result.figures["years"], result.figures["months"], result.figures["left_days"]) == (19, 11, 29)
    # Several periods' left-over days are added and every 30 make a month, as the rulebook says: one day
    # short of a 31-day month (6 years 11 months 30 days) thus completes the sum.
    thirty = [spans[0], (date(2003, 1, 2), date(2009, 12, 31)), spans[2]]
    assert evaluate(peoples(periods=periods(*thirty)), rules_v1)["years_in_craft"].outcome == MET


def test_left_over_days_of_several_periods_make_months_by_the_rulebook(rules_v1):
    # 9 years 11 months 20 days twice: 40 left-over days make one month and 10 days.
    spans = [(date(2000, 1, 1), date(2009, 12, 20)), (date(2012, 1, 1), date(2021, 12, 20))]
    result = evaluate(peoples(periods=periods(*spans)), rules_v1)["years_in_craft"]
    assert (result.figures["years"], result.figures["months"], result.figures["left_days"]) == (19, 11, 10)
    longer = rules_v1.with_values(craft_years__days_per_month=20)
    result = evaluate(peoples(periods=periods(*spans)), longer)["years_in_craft"]
    assert result.outcome == MET and (result.figures["years"], result.figures["months"]) == (20, 0)
    unknown = rules_v1.with_values(craft_years__days_per_month=None)
    assert evaluate(peoples(periods=periods(*spans)), unknown)["years_in_craft"].outcome == COUNCIL


def test_periods_across_29_february_count_calendar_years(rules_v1):
    leap = [(date(2000, 2, 29), date(2010, 2, 28)), (date(2012, 2, 29), date(2022, 2, 28))]
    result = evaluate(peoples(periods=periods(*leap)), rules_v1)["years_in_craft"]
    assert result.outcome == MET and (result.figures["years"], result.figures["months"]) == (20, 0)
    across = [leap[0], (date(2011, 3, 1), date(2021, 2, 28))]  # three 29 Februaries inside: 10 years
    assert evaluate(peoples(periods=periods(*across)), rules_v1)["years_in_craft"].outcome == MET
    short = [leap[0], (date(2011, 3, 1), date(2021, 2, 27))]  # 9 years 11 months 27 days
    result = evaluate(peoples(periods=periods(*short)), rules_v1)["years_in_craft"]
    assert result.outcome == NOT_MET and result.figures["left_days"] == 27
    # a period through a 29 February counts it as any other day: 01/03/2003–29/02/2004 is one year
    result = evaluate(excellent(periods=periods((date(2003, 3, 1), date(2004, 2, 29)))), rules_v1)
    figures = result["years_in_craft"].figures
    assert (figures["years"], figures["months"], figures["left_days"]) == (1, 0, 0)


def test_a_period_running_to_the_day_of_receipt(rules_v1):
    # "đến nay": the period ends on the day the dossier is received.
    received = date(2025, 9, 20)
    met = peoples(periods=periods((date(2005, 9, 21), received)), received_on=received)
    short = peoples(periods=periods((date(2005, 9, 22), received)), received_on=received)
    assert evaluate(met, rules_v1)["years_in_craft"].outcome == MET
    assert evaluate(short, rules_v1)["years_in_craft"].outcome == NOT_MET


@pytest.mark.parametrize(
    ("start", "end", "span"),
    [
        (date(2000, 3, 15), date(2010, 3, 14), (10, 0, 0)),
        (date(2024, 1, 1), date(2024, 1, 30), (0, 0, 30)),
        (date(2024, 1, 31), date(2024, 2, 29), (0, 1, 0)),
        (date(2024, 1, 31), date(2024, 3, 1), (0, 1, 1)),
        (date(2004, 2, 29), date(2019, 2, 27), (14, 11, 30)),
        (date(2004, 2, 29), date(2019, 2, 28), (15, 0, 0)),
        (date(2020, 5, 5), date(2020, 5, 5), (0, 0, 1)),
    ],
)
def test_calendar_span_of_one_period(start, end, span):
    result = calendar_span(start, end)
    assert (result.years, result.months, result.days) == span


# --- prior title ------------------------------------------------------------------------------------


def test_excellent_artisan_in_handicrafts_is_the_prior_title(rules_v1):
    result = evaluate(peoples(), rules_v1)["prior_title"]
    assert result.outcome == MET
    assert result.evidence_ids == (("prior_title", 1),)
    assert "1000/QĐ-CTN" in result.reason_vi and "26/08/2016" in result.reason_vi
    assert "Nghệ nhân ưu tú" in result.reason_vi and "Excellent Artisan" in result.reason_en


def test_heritage_field_prior_title_does_not_count(rules_v1):
    report = evaluate(peoples(prior_titles=(prior(field="heritage"),)), rules_v1)
    assert report["prior_title"].outcome == NOT_MET
    assert "di sản văn hóa phi vật thể" in report["prior_title"].reason_vi
    assert "intangible cultural heritage" in report["prior_title"].reason_en
    assert report["new_works_after_title"].outcome == NOT_MET  # no title date to count from
    assert report.overall == NOT_MET


def test_another_title_or_none_is_not_the_prior_title(rules_v1):
    assert (
        evaluate(peoples(prior_titles=(prior(title="peoples"),)), rules_v1)["prior_title"].outcome == NOT_MET
    )
    assert evaluate(peoples(prior_titles=()), rules_v1)["prior_title"].outcome == NOT_MET


# --- new works after the title (People's Artisan) ---------------------------------------------------


def two_works(second_on, **award_kwargs):
    return {
        "works": (work(1, date(2019, 5, 1)), work(2, second_on)),
        "awards": (award(1, 1), award(2, 2, **award_kwargs)),
    }


def new_works(rules, **over):
    return evaluate(peoples(**over), rules)["new_works_after_title"]


def test_work_completed_on_the_title_date_is_not_new(rules_v1):
    result = new_works(rules_v1, **two_works(TITLE_DATE))
    assert result.outcome == NOT_MET and result.figures["count"] == 1
    assert "26/08/2016" in result.reason_vi


def test_work_completed_the_day_after_the_title_is_new(rules_v1):
    result = new_works(rules_v1, **two_works(TITLE_DATE + timedelta(days=1)))
    assert result.outcome == MET and result.figures["count"] == 2
    assert result.evidence_ids == (("award", 1), ("award", 2), ("work", 1), ("work", 2))


def test_same_day_rule_comes_from_the_rules(rules_v1):
    rules = rules_v1.with_values(nnnd__work_made_on_title_date_counts=True)
    assert new_works(rules, **two_works(TITLE_DATE)).outcome == MET


@pytest.mark.parametrize(
    ("award_kwargs", "outcome"),
    [
        ({"level": "first", "scope": "national"}, MET),
        ({"level": "second", "scope": "national"}, MET),
        ({"level": "third", "scope": "national"}, NOT_MET),
        ({"level": "consolation", "scope": "national"}, NOT_MET),
        ({"level": "second", "scope": "national", "competent": False}, NOT_MET),
        ({"level": "second", "scope": "provincial"}, NOT_MET),
        ({"level": "third", "scope": "regional", "state": True, "competent": False}, MET),
        ({"level": "third", "scope": "regional", "state": False}, NOT_MET),
        ({"level": "third", "scope": "international", "state": True}, MET),
        ({"level": "first", "scope": "international", "state": True}, MET),
        ({"level": "consolation", "scope": "regional", "state": True}, NOT_MET),
    ],
)
def test_prize_criteria_for_peoples_artisan(rules_v1, award_kwargs, outcome):
    assert new_works(rules_v1, **two_works(date(2022, 1, 1), **award_kwargs)).outcome == outcome


def test_award_not_tied_to_a_work_or_a_work_with_two_prizes_counts_once(rules_v1):
    works = (work(1, date(2019, 5, 1)), work(2, date(2021, 3, 1)))
    loose = new_works(rules_v1, works=works, awards=(award(1, 1), award(2, None)))
    assert loose.outcome == NOT_MET and loose.figures["count"] == 1
    twice = new_works(rules_v1, works=works, awards=(award(1, 1), award(2, 1, level="first")))
    assert twice.outcome == NOT_MET and twice.figures["count"] == 1


def test_prized_work_made_before_the_title_is_not_new(rules_v1):
    result = new_works(rules_v1, **two_works(date(2015, 1, 1)))
    assert result.outcome == NOT_MET and result.figures["works_after_title"] == 1


# --- works and prizes (Excellent Artisan) -----------------------------------------------------------


def test_ten_works_met_nine_not(rules_v1):
    assert evaluate(excellent(), rules_v1)["works"].outcome == MET
    nine = excellent(works=tuple(work(i, date(2010 + i, 1, 1)) for i in range(1, 10)))
    result = evaluate(nine, rules_v1)["works"]
    assert result.outcome == NOT_MET
    assert result.reason_vi == "Có 9 sản phẩm, tác phẩm; yêu cầu từ 10 (Điều 7)"


@pytest.mark.parametrize(
    ("award_kwargs", "outcome"),
    [
        ({"level": "first", "scope": "provincial"}, MET),
        ({"level": "second", "scope": "provincial"}, MET),
        ({"level": "third", "scope": "provincial"}, NOT_MET),
        ({"level": "second", "scope": "provincial", "competent": False}, NOT_MET),
        ({"level": "third", "scope": "national"}, MET),
        ({"level": "consolation", "scope": "national"}, NOT_MET),
        ({"level": "third", "scope": "national", "competent": False}, NOT_MET),
    ],
)
def test_prize_criteria_for_excellent_artisan(rules_v1, award_kwargs, outcome):
    facts = excellent(awards=(award(1, 1, **award_kwargs),))
    assert evaluate(facts, rules_v1)["prized_works"].outcome == outcome


# --- trainees ---------------------------------------------------------------------------------------


def test_exactly_150_trainees_met_149_not(rules_v1):
    assert evaluate(peoples(trainees=trainees(150)), rules_v1)["trainees"].outcome == MET
    assert evaluate(peoples(trainees=trainees(100, 50)), rules_v1)["trainees"].outcome == MET
    result = evaluate(peoples(trainees=trainees(149)), rules_v1)["trainees"]
    assert result.outcome == NOT_MET
    assert result.reason_vi == "Đã truyền dạy nghề cho 149 người; yêu cầu từ 150 người (Điều 6 khoản 5)"
    assert result.evidence_ids == (("trainee", 1),)


@pytest.mark.parametrize("flags", [{"craft_is_special": True}, {"special_branch_claimed": True}])
def test_special_craft_with_149_trainees_goes_to_the_council(rules_v1, flags):
    result = evaluate(peoples(trainees=trainees(149), **flags), rules_v1)["trainees"]
    assert result.outcome == COUNCIL
    special = rules_v1["nnnd.min_trainees_special_craft"]
    assert (result.article, result.confidence) == (special.article, "NF")
    assert f"mức riêng {special.value} người" in result.reason_vi
    assert "mức tin cậy NF" in result.reason_vi and "confidence NF" in result.reason_en
    assert result.figures["special_required"] == special.value


def test_override_of_the_trainee_threshold_changes_the_outcome(rules_v1):
    facts = peoples(trainees=trainees(120))
    assert evaluate(facts, rules_v1)["trainees"].outcome == NOT_MET
    result = evaluate(facts, rules_v1.with_values(nnnd__min_trainees=100))["trainees"]
    assert result.outcome == MET
    assert "yêu cầu từ 100 người" in result.reason_vi


def test_excellent_artisan_trainees_use_the_predecessors_number_and_say_so(rules_v1):
    met = evaluate(excellent(trainees=trainees(100)), rules_v1)["trainees"]
    assert met.outcome == MET and met.confidence == "P"
    assert "nghị định trước" in met.reason_vi and "chưa được xác nhận" in met.reason_vi
    assert "43/2024/NĐ-CP" in met.reason_vi and "predecessor" in met.reason_en
    short = evaluate(excellent(trainees=trainees(99)), rules_v1)["trainees"]
    assert short.outcome == NOT_MET and "nghị định trước" in short.reason_vi


def test_excellent_artisan_special_craft_with_no_number_goes_to_the_council(rules_v1):
    result = evaluate(excellent(trainees=trainees(10), craft_is_special=True), rules_v1)["trainees"]
    assert result.outcome == COUNCIL
    assert result.figures["special_required"] is None
    assert "mức riêng chưa có (" in result.reason_vi and "threshold is not known (" in result.reason_en
    assert "None" not in result.reason_vi and "None" not in result.reason_en


# --- thresholds with no value or not found ----------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "key", "criterion", "over"),
    [
        (peoples, "nnnd.min_years_in_craft", "years_in_craft", {"periods": ()}),
        (peoples, "nnnd.min_trainees", "trainees", {"trainees": trainees(1)}),
        (peoples, "nnnd.min_new_works_after_title", "new_works_after_title", {"works": ()}),
        (peoples, "nnnd.work_prize_rules", "new_works_after_title", {"awards": ()}),
        (excellent, "nnut.min_trainees", "trainees", {"trainees": trainees(1)}),
        (excellent, "nnut.min_works", "works", {"works": ()}),
        (excellent, "nnut.min_prized_works", "prized_works", {"awards": ()}),
    ],
)
def test_a_missing_or_not_found_threshold_never_fails_a_dossier(rules_v1, make, key, criterion, over):
    facts = make(**over)
    assert evaluate(facts, rules_v1)[criterion].outcome == NOT_MET  # with the real number
    for rules in (
        rules_v1.with_values(**{key.replace(".", "__"): None}),
        with_confidence(rules_v1, key, "NF"),
    ):
        result = evaluate(facts, rules)[criterion]
        assert result.outcome == COUNCIL
        assert result.figures["rule_key"] == key
        assert "Hội đồng xem xét" in result.reason_vi


def test_a_not_found_threshold_does_not_pass_a_dossier_either(rules_v1):
    rules = with_confidence(rules_v1, "nnut.min_works", "NF")
    assert evaluate(excellent(), rules)["works"].outcome == COUNCIL


# --- no number of the law in the code ---------------------------------------------------------------


def test_eligibility_module_holds_no_number_but_counting_ones():
    numbers = {
        node.value
        for file in sorted(Path(eligibility.__file__).parent.glob("*.py"))
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and type(node.value) in (int, float)
    }
    assert numbers <= {0, 1, 12}  # indexes, one day, months in a year
    for code in ("vi", "en"):
        with translation.override(code):
            language = {name: str(text) for name, text in eligibility_messages.MESSAGES.items()}
        assert not [text for text in language.values() if any(ch.isdigit() for ch in text)]


# --- properties -------------------------------------------------------------------------------------

DAYS = st.dates(min_value=date(1985, 1, 1), max_value=date(2025, 12, 31))
LEVELS = st.sampled_from(["first", "second", "third", "consolation"])
SCOPES = st.sampled_from(["provincial", "national", "regional", "international"])
DAY0 = date(2020, 1, 1)


def _span(pair):
    return tuple(sorted(pair))


@st.composite
def dossier_facts(draw):
    """Random evidence; half the time on top of a dossier that meets every criterion, so that "met"
    outcomes are common too. Random rows have ids from 100 up, the base dossier's ids are below."""
    title = draw(st.sampled_from(["peoples", "excellent"]))
    base = (peoples if title == "peoples" else excellent)() if draw(st.booleans()) else None
    spans = draw(st.lists(st.tuples(DAYS, DAYS).map(_span), max_size=4))
    works = tuple(work(i, d) for i, d in enumerate(draw(st.lists(DAYS, max_size=12)), 100))
    all_works = (base.works if base else ()) + works
    work_ids = st.one_of(st.none(), st.sampled_from([w.id for w in all_works])) if all_works else st.none()
    prizes = draw(st.lists(st.tuples(LEVELS, SCOPES, st.booleans(), st.booleans()), max_size=8))
    awards = tuple(
        award(i, draw(work_ids), level=lvl, scope=scope, competent=comp, state=state)
        for i, (lvl, scope, comp, state) in enumerate(prizes, 100)
    )
    kinds = st.tuples(
        st.sampled_from(["excellent", "peoples"]), st.sampled_from(["handicraft", "heritage"]), DAYS
    )
    titles = tuple(
        prior(title=t, field=f, on=d, id=i)
        for i, (t, f, d) in enumerate(draw(st.lists(kinds, max_size=3)), 100)
    )
    counts = draw(st.lists(st.integers(min_value=1, max_value=120), max_size=4))
    return DossierFacts(
        title=title,
        craft_is_special=draw(st.booleans()),
        special_branch_claimed=draw(st.booleans()),
        prior_titles=(base.prior_titles if base else ()) + titles,
        periods=(base.periods if base else ())
        + tuple(PeriodFact(id=i, start=a, end=b) for i, (a, b) in enumerate(spans, 100)),
        works=all_works,
        awards=(base.awards if base else ()) + awards,
        trainees=(base.trainees if base else ())
        + tuple(TraineeFact(id=i, count=c, start=DAY0, end=DAY0) for i, c in enumerate(counts, 100)),
        received_on=date(2025, 9, 20),
    )


EVIDENCE = ("prior_titles", "periods", "works", "awards", "trainees")


@settings(max_examples=150, deadline=None)
@given(facts=dossier_facts(), data=st.data())
def test_order_of_the_evidence_never_changes_the_report(rules_v1, facts, data):
    shuffled = replace(
        facts, **{name: tuple(data.draw(st.permutations(getattr(facts, name)))) for name in EVIDENCE}
    )
    assert evaluate(shuffled, rules_v1) == evaluate(facts, rules_v1)


@settings(max_examples=150, deadline=None)
@given(facts=dossier_facts(), data=st.data())
def test_adding_an_award_never_turns_met_into_not_met(rules_v1, facts, data):
    work_ids = [w.id for w in facts.works]
    extra = award(
        len(facts.awards) + 1,
        data.draw(st.one_of(st.none(), st.sampled_from(work_ids)) if work_ids else st.none()),
        level=data.draw(LEVELS),
        scope=data.draw(SCOPES),
        competent=data.draw(st.booleans()),
        state=data.draw(st.booleans()),
    )
    before = evaluate(facts, rules_v1)
    after = evaluate(replace(facts, awards=(*facts.awards, extra)), rules_v1)
    for old, new in zip(before.results, after.results, strict=True):
        if old.outcome == MET:
            assert new.outcome == MET, old.key
    if before.overall == MET:
        assert after.overall == MET


@settings(max_examples=100, deadline=None)
@given(facts=dossier_facts())
def test_every_report_is_well_formed(rules_v1, facts):
    report = evaluate(facts, rules_v1)
    for result in report.results:
        assert result.outcome in (MET, NOT_MET, COUNCIL)
        assert list(result.evidence_ids) == sorted(set(result.evidence_ids))
        assert result.reason_vi and result.reason_en and result.article
        assert "None" not in result.reason_vi and "None" not in result.reason_en
    checkable = [r.outcome for r in report.results if r.key not in QUALITATIVE]
    assert report.overall == (
        NOT_MET if NOT_MET in checkable else MET if set(checkable) == {MET} else COUNCIL
    )


def test_every_criterion_has_a_label_in_both_languages(rules_v1):
    from dossiers.eligibility import evaluate

    for facts in (peoples(), excellent()):
        for result in evaluate(facts, rules_v1).results:
            assert result.label_vi and result.label_en and result.label_vi != result.label_en
