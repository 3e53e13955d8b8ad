"""facts_from_dossier: a dossier on the real models becomes plain data, in a constant number of queries."""

from datetime import date

import pytest

from dossiers.completeness import check_completeness
from dossiers.eligibility import MET, evaluate
from dossiers.facts import (
    AwardFact,
    DossierFacts,
    PeriodFact,
    PriorTitleFact,
    TraineeFact,
    WorkFact,
    dossiers_for_facts,
    facts_from_dossier,
)
from dossiers.models import (
    Attachment,
    Award,
    Craft,
    CraftPeriod,
    Dossier,
    PriorTitle,
    RulebookVersion,
    TraineeRecord,
    Work,
)
from dossiers.rulebook.selectors import rules_for_round, rules_of_version
from tests import factories as f

pytestmark = pytest.mark.django_db

TITLE_DATE = date(2016, 8, 26)


# --- factory-style helpers on the real models -------------------------------------------------------


def add_prior_title(dossier, title="excellent", field="handicraft", on=TITLE_DATE, number="1000/QĐ-CTN"):
    return PriorTitle.objects.create(
        artisan=dossier.artisan, title=title, field=field, decision_number=number, decision_date=on
    )


def add_period(dossier, start, end):
    return CraftPeriod.objects.create(dossier=dossier, start=start, end=end, place="Bát Tràng")


def add_work(dossier, completed_on, name="Bình gốm men lam"):
    return Work.objects.create(dossier=dossier, name=name, completed_on=completed_on)


def add_award(dossier, work=None, level="second", scope="national", competent=True, state=False):
    return Award.objects.create(
        dossier=dossier,
        work=work,
        competition="Cuộc thi sản phẩm thủ công mỹ nghệ",
        organiser="Bộ Công Thương",
        organiser_is_competent=competent,
        state_appointed=state,
        level=level,
        scope=scope,
        awarded_on=date(2022, 9, 1),
    )


def add_trainees(dossier, count, start=date(2000, 1, 1), end=date(2024, 12, 31)):
    return TraineeRecord.objects.create(dossier=dossier, count=count, start=start, end=end)


def add_attachment(dossier, kind):
    n = Attachment.objects.count() + 1
    return Attachment.objects.create(
        dossier=dossier,
        kind=kind,
        file=f"attachments/2025/09/{n}.pdf",
        original_name=f"{kind}.pdf",
        content_type="application/pdf",
        size=1024,
        sha256=f"{n:064x}",
        uploaded_by=dossier.created_by,
    )


def special_craft():
    craft = Craft.objects.order_by("code").first()
    craft.is_special = True
    craft.save()
    return craft


def peoples_dossier(**fields):
    """A People's Artisan dossier with a little of every kind of evidence."""
    dossier = f.dossier(title="peoples", **fields)
    title = add_prior_title(dossier)
    heritage = add_prior_title(dossier, field="heritage", on=date(2012, 1, 5), number="5/QĐ-CTN")
    late = add_period(dossier, date(2010, 1, 1), date(2024, 12, 31))
    early = add_period(dossier, date(1995, 3, 1), date(2005, 6, 30))
    vase = add_work(dossier, date(2021, 3, 1))
    tray = add_work(dossier, date(2019, 5, 1), name="Khay sơn mài")
    awards = [add_award(dossier, vase), add_award(dossier, tray, level="first"), add_award(dossier)]
    records = [add_trainees(dossier, 100), add_trainees(dossier, 60, start=date(1998, 1, 1))]
    for kind in ("skills_media", "declaration", "skills_media", "certified_copy"):
        add_attachment(dossier, kind)
    return dossier, {
        "prior_titles": (heritage, title),
        "periods": (early, late),
        "works": (tray, vase),
        "awards": awards,
        "trainees": (records[1], records[0]),
    }


# --- tests ------------------------------------------------------------------------------------------


def test_facts_carry_every_row_as_plain_data_sorted():
    dossier, rows = peoples_dossier(special_branch_claimed=True, returned_on=date(2025, 9, 25))
    heritage, title = rows["prior_titles"]
    early, late = rows["periods"]
    tray, vase = rows["works"]
    on_vase, on_tray, loose = rows["awards"]
    older, newer = rows["trainees"]

    facts = facts_from_dossier(Dossier.objects.get(pk=dossier.pk))

    assert facts == DossierFacts(
        title="peoples",
        posthumous=False,
        craft_is_special=False,
        special_branch_claimed=True,
        prior_titles=(
            PriorTitleFact(heritage.pk, "excellent", "heritage", "5/QĐ-CTN", date(2012, 1, 5)),
            PriorTitleFact(title.pk, "excellent", "handicraft", "1000/QĐ-CTN", TITLE_DATE),
        ),
        periods=(
            PeriodFact(early.pk, date(1995, 3, 1), date(2005, 6, 30)),
            PeriodFact(late.pk, date(2010, 1, 1), date(2024, 12, 31)),
        ),
        works=(
            WorkFact(tray.pk, "Khay sơn mài", date(2019, 5, 1)),
            WorkFact(vase.pk, "Bình gốm men lam", date(2021, 3, 1)),
        ),
        awards=tuple(
            AwardFact(a.pk, w, lvl, "national", True, False, date(2022, 9, 1))
            for a, w, lvl in (
                (on_vase, vase.pk, "second"),
                (on_tray, tray.pk, "first"),
                (loose, None, "second"),
            )
        ),
        trainees=(
            TraineeFact(older.pk, 60, date(1998, 1, 1), date(2024, 12, 31)),
            TraineeFact(newer.pk, 100, date(2000, 1, 1), date(2024, 12, 31)),
        ),
        attachment_kinds=("certified_copy", "declaration", "skills_media"),
        received_on=date(2025, 9, 20),
        returned_on=date(2025, 9, 25),
        resubmitted_on=None,
    )


def test_facts_of_one_dossier_cost_eight_queries_however_many_rows(django_assert_num_queries):
    dossier, _ = peoples_dossier()
    fresh = _fresh(dossier)
    with django_assert_num_queries(8):
        small = facts_from_dossier(fresh)
    for i in range(5):
        add_work(dossier, date(2022, 1, 1 + i))
        add_trainees(dossier, 3)
        add_period(dossier, date(1980 + i, 1, 1), date(1980 + i, 6, 1))
        add_attachment(dossier, "other")
        add_prior_title(dossier, title="peoples", field="heritage", number=f"{i}/QĐ")
    fresh = _fresh(dossier)
    with django_assert_num_queries(8):
        large = facts_from_dossier(fresh)
    assert len(large.works) == len(small.works) + 5


def _fresh(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def test_prefetched_dossiers_need_no_query_for_their_facts(django_assert_num_queries):
    first, _ = peoples_dossier()
    second = f.dossier()
    add_work(second, date(2020, 1, 1))
    with django_assert_num_queries(7):  # dossiers with artisan and craft + 6 prefetches
        dossiers = list(dossiers_for_facts(Dossier.objects.filter(pk__in=[first.pk, second.pk])))
    with django_assert_num_queries(0):
        facts = [facts_from_dossier(d) for d in dossiers]
    assert sorted(len(x.works) for x in facts) == [1, 2]
    by_title = {x.title: x for x in facts}
    assert by_title["peoples"] == facts_from_dossier(_fresh(first))


def test_special_craft_and_posthumous_come_through():
    craft = special_craft()
    dossier = f.dossier(artisan=f.artisan(craft=craft, is_deceased=True), posthumous=True)
    facts = facts_from_dossier(_fresh(dossier))
    assert facts.craft_is_special and facts.posthumous
    assert (facts.periods, facts.works, facts.awards, facts.trainees, facts.attachment_kinds) == ((),) * 5


def test_facts_feed_the_checks_under_the_rounds_rules(rules_v1):
    dossier, _ = peoples_dossier()
    add_trainees(dossier, 1)  # 161 in all
    facts = facts_from_dossier(_fresh(dossier))
    rules = rules_for_round(dossier.round)
    report = evaluate(facts, rules)
    assert report.overall == MET
    assert report["years_in_craft"].figures["periods"] == 2
    assert report["new_works_after_title"].figures["count"] == 2
    assert check_completeness(facts, rules).complete
    assert evaluate(facts, rules_v1) == report


def test_the_json_fixture_is_the_rulebook_the_migration_loaded(rules_v1):
    loaded = rules_of_version(RulebookVersion.objects.get(legal_basis=rules_v1.legal_basis, version=1))
    assert {r.key: (r.value, r.article, r.confidence) for r in loaded} == {
        r.key: (r.value, r.article, r.confidence) for r in rules_v1
    }
