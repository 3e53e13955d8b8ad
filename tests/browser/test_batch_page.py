"""The batch page in a browser: only the chosen step's own fields show, the others are hidden and
disabled, so that choosing another step never sends what the first one asked."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOWN = """() => [...document.querySelectorAll("[data-for-steps]")].map(box => ({
  steps: box.getAttribute("data-for-steps").split(" "),
  hidden: box.hidden || box.offsetParent === null,
  disabled: [...box.querySelectorAll("input, select, textarea")].every(el => el.disabled),
}))"""


def test_only_the_chosen_steps_fields_show_and_are_sent(site):
    clerk = f.user("ministry_clerk", f.ministry())
    device = TOTPDevice.objects.create(user=clerk, name="app", confirmed=True)
    page = site.page(clerk.username, otp_device=device)
    page.goto(f"{site.url}/bo/buoc-theo-lo/")
    steps = page.eval_on_selector_all("select[name=step] option[value]", "os => os.map(o => o.value)")
    boxes = page.evaluate(SHOWN)
    with_fields = [s for s in steps if s and any(s in b["steps"] for b in boxes)]
    without = [s for s in steps if s and not any(s in b["steps"] for b in boxes)]
    assert with_fields and without
    for step in (with_fields[0], without[0], with_fields[-1]):
        page.select_option("select[name=step]", step)
        for box in page.evaluate(SHOWN):
            wanted = step in box["steps"]
            assert box["hidden"] is not wanted and box["disabled"] is not wanted, (step, box)
    # the preview is asked for the step last chosen, with none of the other steps' fields
    page.select_option("select[name=step]", without[0])
    with page.expect_navigation():
        page.click("#batch-preview-form button[type=submit]")
    query = page.url.split("?", 1)[1]
    assert f"step={without[0]}" in query
    names = page.evaluate(
        "() => [...new Set([...document.querySelectorAll('[data-for-steps] [name]')].map(e => e.name))]"
    )
    sent = {pair.split("=", 1)[0] for pair in query.split("&")}
    assert names and not sent & set(names), (sent, names)
