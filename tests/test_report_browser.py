"""The committed HTML report in a real headless browser: offline, no script errors, working filters.

Skipped where playwright or chromium is missing, except where COMPAT_BROWSER_REQUIRED is set (.ci/run
sets it after installing both): there a missing browser fails the run instead of hiding the page.
"""

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAGE = Path(__file__).resolve().parent.parent / "reports" / "index.html"
MISSING = [
    what
    for what, absent in (
        ("playwright (pip install playwright)", importlib.util.find_spec("playwright") is None),
        ("chromium (apt-get install chromium)", CHROMIUM is None),
    )
    if absent
]
REQUIRED = bool(os.environ.get("COMPAT_BROWSER_REQUIRED"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        bool(MISSING) and not REQUIRED, reason=f"not-run: no {' and no '.join(MISSING)} on this machine"
    ),
]
if not MISSING:
    from playwright import sync_api


@pytest.fixture(scope="module")
def page():
    """Yield the report opened in headless Chromium, with every non-file request refused and recorded."""
    if MISSING:
        pytest.fail(f"COMPAT_BROWSER_REQUIRED is set but this machine lacks {' and '.join(MISSING)}")
    with sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        opened = browser.new_page()
        opened.requests_off_disk = []
        opened.errors = []
        opened.on("pageerror", lambda error: opened.errors.append(str(error)))
        opened.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))

        def refuse(route):
            if not route.request.url.startswith("file://"):
                opened.requests_off_disk.append(route.request.url)
                return route.abort()
            return route.continue_()

        opened.route("**/*", refuse)
        opened.goto(PAGE.as_uri())
        yield opened
        browser.close()


def visible_rows(page) -> int:
    return page.locator("#same table:not([hidden]) tbody tr:not([hidden])").count()


def test_the_page_loads_without_network_or_script_errors(page):
    assert page.requests_off_disk == []
    assert page.errors == []
    assert page.locator("#count").inner_text().endswith("claim x subject rows shown")


def test_the_subject_filter_keeps_only_that_subjects_rows(page):
    everything = visible_rows(page)
    page.select_option('select[data-field="subject"]', "torch.optim.Adam")
    kept = page.locator("#same table:not([hidden]) tbody tr:not([hidden])")
    assert 0 < kept.count() < everything
    assert set(kept.evaluate_all("rows => rows.map(r => r.closest('table').dataset.subject)")) == {"torch.optim.Adam"}
    page.select_option('select[data-field="subject"]', "")
    assert visible_rows(page) == everything


def test_the_release_and_device_filters_hide_the_other_columns(page):
    page.select_option('select[data-field="torch"]', "2.6")
    shown = page.locator("#same thead th[data-torch]:not([hidden])")
    assert set(shown.evaluate_all("cells => cells.map(c => c.dataset.torch)")) == {"2.6"}
    page.select_option('select[data-field="device"]', "cpu")
    shown = page.locator("#same thead th[data-torch]:not([hidden])")
    assert set(shown.evaluate_all("cells => cells.map(c => c.dataset.torch + '/' + c.dataset.device)")) == {"2.6/cpu"}
    adam = page.locator('#same table[data-subject="torch.optim.Adam"] tbody tr').first
    assert adam.locator("td").evaluate_all("cells => cells.filter(c => c.offsetParent !== null).length") == 2
    page.select_option('select[data-field="torch"]', "")
    page.select_option('select[data-field="device"]', "")


def test_the_outcome_filter_keeps_rows_with_a_violation(page):
    page.select_option('select[data-field="outcome"]', "violated")
    kept = page.locator("#same tbody tr:not([hidden])")
    assert kept.count() > 0
    assert all("violated" in o.split() for o in kept.evaluate_all("rows => rows.map(r => r.dataset.outcomes)"))
    page.select_option('select[data-field="outcome"]', "")


def test_torchs_own_subjects_come_first_and_a_violated_cell_opens_its_finding_on_the_page(page):
    first = page.locator("#same table[data-subject]").first.get_attribute("data-subject")
    assert first.startswith("torch.optim.")
    link = page.locator("#same td.v a, #same td.d a").first
    target = link.get_attribute("href")
    assert target.startswith("#f-")
    link.click()
    finding = page.locator(f"div.fd{target}")
    assert finding.is_visible() and page.evaluate("location.hash") == target
    text = finding.inner_text()
    assert any(kind in text for kind in ("As documented", "By design", "Bug", "Limitation", "Untriaged", "Gap of"))
    subject_page = finding.locator("a", has_text="its example, on its page").get_attribute("href")
    assert (PAGE.parent / subject_page.split("#")[0]).is_file()


def test_a_claim_row_carries_its_statement(page):
    cell = page.locator('#same table[data-subject="torch.optim.Adam"] tbody tr td:first-child').first
    assert cell.text_content().startswith(("optimizer.", "answer."))
    assert len(cell.get_attribute("title")) > 30


def test_the_outcome_filter_composes_with_the_release_filter(page):
    """torch 2.0 + violated keeps only rows with a violated cell in the 2.0 column, not rows violated elsewhere."""
    page.select_option('select[data-field="torch"]', "2.0")
    page.select_option('select[data-field="outcome"]', "violated")
    kept = page.locator("#same table:not([hidden]) tbody tr:not([hidden])")
    assert kept.count() > 0
    classes = kept.evaluate_all(
        """rows => rows.map(r => {
            const index = Array.from(r.closest('table').tHead.rows[0].cells).findIndex(c => c.dataset.torch === '2.0');
            return r.cells[index].className;
        })"""
    )
    assert set(classes) <= {"v", "d"}
    page.select_option('select[data-field="outcome"]', "")
    page.select_option('select[data-field="torch"]', "")
