"""The explorer page of a real run (CANONSIM_TEST_TRACE, made by ctest's make-test-trace) in a
real browser: headless Chromium driven by Selenium (Debian's chromium, chromium-driver and
python3-selenium). The page renders with no JavaScript error, its chain view draws every block of
the trace, clicking a block shows it, and searching a transaction id shows that transaction's
events. A screenshot goes to CANONSIM_EXPLORE_OUT (the build folder under ctest). Without the
ctest environment these tests are skipped."""

import os
import time

import pytest

from analysis import explore, trace

RENDER_TIMEOUT_S = 60


def _env(var):
    value = os.environ.get(var)
    if not value:
        pytest.skip(f"{var} not set: run through ctest")
    return value


@pytest.fixture(scope="module")
def run_trace():
    return trace.load(_env("CANONSIM_TEST_TRACE"))


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1300,2600"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def page(run_trace, browser):
    out = os.environ.get("CANONSIM_EXPLORE_OUT") or _env("CANONSIM_EXPLORE_OUT")
    path = explore.write_pages([run_trace.path], out)[0]
    browser.get("file://" + os.path.abspath(path))
    browser.severe = []
    deadline = time.monotonic() + RENDER_TIMEOUT_S
    while browser.execute_script("return document.body.getAttribute('data-ready')") != "1":
        assert _errors(browser) == [], "JavaScript errors while drawing"
        assert time.monotonic() < deadline, "the page did not finish drawing its plots"
        time.sleep(0.1)
    return browser


def _block_hashes(t):
    """Every block of the trace: produced, accepted or irreversible anywhere."""
    return set(t["blocks_produced"]["hash"]) | set(t["block_arrivals"]["hash"]) | \
        set(t["irreversible"]["hash"])


def _errors(driver):
    """Console errors so far (get_log hands out each entry once, so they are kept)."""
    driver.severe += [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    return driver.severe


def test_the_page_renders_without_javascript_errors(page):
    assert _errors(page) == []


def test_the_chain_view_draws_every_block_of_the_trace(page, run_trace):
    from selenium.webdriver.common.by import By

    drawn = page.find_elements(By.CSS_SELECTOR, "#chain-plot .traceblocks path.point")
    assert len(drawn) == len(_block_hashes(run_trace)) > 0


def test_clicking_a_block_shows_it(page, run_trace):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    points = page.find_elements(By.CSS_SELECTOR, "#chain-plot .traceblocks path.point")
    ActionChains(page).move_to_element(points[len(points) // 2]).click().perform()
    detail = page.find_element(By.ID, "block-detail")
    deadline = time.monotonic() + 10
    while "producer" not in detail.text:
        assert time.monotonic() < deadline, detail.text
        time.sleep(0.1)
    shown = detail.text.split()[1]
    assert shown in {explore.hex_id(h) for h in _block_hashes(run_trace)}
    assert _errors(page) == []


def test_searching_a_transaction_id_shows_its_events(page, run_trace):
    from selenium.webdriver.common.by import By

    txs = run_trace["transactions"]
    # A transaction that went all the way: submitted, included, irreversible.
    done = txs[txs["event"] == trace.TX_IRREVERSIBLE]["tx"]
    tx = int(done.iloc[len(done) // 2])
    expected = sorted(explore.TX_EVENT_NAMES[int(e)] for e in txs[txs["tx"] == tx]["event"])
    box = page.find_element(By.ID, "tx-search")
    box.clear()
    box.send_keys(explore.hex_id(tx))
    page.find_element(By.ID, "tx-go").click()
    rows = page.find_elements(By.CSS_SELECTOR, "#tx-result tr.tx-event")
    assert sorted(r.get_attribute("data-kind") for r in rows) == expected
    assert {"submitted", "included", "irreversible"} <= set(expected)
    assert explore.hex_id(tx) in page.find_element(By.ID, "tx-result").text
    box.clear()
    box.send_keys("00000000deadbeef")
    page.find_element(By.ID, "tx-go").click()
    assert page.find_element(By.ID, "tx-none").is_displayed()
    assert _errors(page) == []


def test_a_screenshot_of_the_page_in_use_is_saved(page):
    # Last in this file: the page with a block shown and a transaction found.
    shot = os.path.join(os.environ["CANONSIM_EXPLORE_OUT"], "explore-test-trace.png")
    assert page.save_screenshot(shot)
    assert os.path.getsize(shot) > 10_000
