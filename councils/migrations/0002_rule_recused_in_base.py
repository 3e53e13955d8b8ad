"""Add to rulebook v1 how a recused member counts (the domain file has no rule: marked NF)."""

from django.db import migrations

PARAMETER = {
    "key": "council.recused_in_base",
    "value": True,
    "article": "Điều 11 (suy luận)",
    "confidence": "NF",
    "description_vi": "Thành viên tự nguyện không tham gia bỏ phiếu do xung đột lợi ích vẫn được tính trong tổng số "
    "thành viên làm căn cứ tính tỷ lệ (vì căn cứ là tổng số thành viên có tên trong danh sách)",
    "description_en": "A member recused for a conflict of interest still counts in the base of the pass ratio "
    "(the base is all members on the council's list)",
    "source": "../shared/domain/decree-43-2024.md §4.3, §4.5 (no recusal rule found)",
}


def add(apps, schema_editor):
    Version = apps.get_model("dossiers", "RulebookVersion")
    Parameter = apps.get_model("dossiers", "RuleParameter")
    for version in Version.objects.filter(legal_basis="43/2024/NĐ-CP", version=1):
        Parameter.objects.get_or_create(version=version, key=PARAMETER["key"], defaults=PARAMETER)


def remove(apps, schema_editor):
    apps.get_model("dossiers", "RuleParameter").objects.filter(key=PARAMETER["key"]).delete()


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial"), ("dossiers", "0003_rulebook_v1_and_crafts")]
    operations = [migrations.RunPython(add, remove)]
