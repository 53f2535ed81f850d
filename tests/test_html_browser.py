"""graph.html in a real browser: headless Chromium, driven by selenium, with the network blocked.

Each page is opened from disk with Chromium's resolver and proxy pointed at nowhere, and every
test checks (resource timing API + the Network events of Chromium's performance log, i.e. CDP)
that no request other than the file itself was made. Skipped when chromium / chromedriver (the
Debian packages ``chromium`` and ``chromium-driver``) or selenium are missing; CI installs them.
"""
from __future__ import annotations

import importlib.util
import os
import json
import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
try:
    import selenium  # noqa: F401
    HAVE_SELENIUM = True
except ImportError:  # pragma: no cover
    HAVE_SELENIUM = False

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not HAVE_SELENIUM, reason="selenium is not installed"),
    # CI sets KG_REQUIRE_BROWSER=1: there a missing browser fails these tests instead of skipping them
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER) and not os.environ.get("KG_REQUIRE_BROWSER"),
                       reason="headless browser tests need chromium and chromedriver "
                              "(Debian: apt-get install chromium chromium-driver)"),
]

from kg.export.html import write_html  # noqa: E402

# the fixture graph of the browser-free tests (loaded by path: tests/ need not be a package)
_spec = importlib.util.spec_from_file_location("kg_test_html_fixtures", Path(__file__).with_name("test_html.py"))
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)
sample_graph, EVIL_TITLE = fixtures.sample_graph, fixtures.EVIL_TITLE
odd_graph = fixtures.odd_graph

READY_TIMEOUT = 60


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1400,900",
                # no network: every host resolves to nothing, everything is proxied to a
                # closed port
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
                f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    drv = webdriver.Chrome(options=opts, service=Service(CHROMEDRIVER))
    drv.set_page_load_timeout(READY_TIMEOUT)
    drv.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                        {"width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    yield drv
    drv.quit()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    d = tmp_path_factory.mktemp("pages")
    full, small = d / "graph.html", d / "graph-small.html"
    write_html(sample_graph(), full, title="Test graph")
    write_html(sample_graph(), small, max_nodes=3, title="Test graph (slice)")
    return {"full": full, "small": small}


def _requests(driver) -> list[str]:
    """URLs of every request in the performance log since the last call (CDP Network events)."""
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def open_page(driver, path: Path):
    """Load ``path``, wait for the viewer's first draw, and check it fetched nothing."""
    driver.get("about:blank")
    _requests(driver)  # drop what came before
    driver.get_log("browser")
    driver.get(path.resolve().as_uri())
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        ready, error = driver.execute_script(
            "return [!!(window.kgView && window.kgView.ready), window.kgView && window.kgView.error]")
        assert not error, error
        if ready:
            break
        assert time.monotonic() < deadline, "the page did not become ready"
        time.sleep(0.05)
    assert_no_requests(driver, path)


def assert_no_requests(driver, path: Path):
    resources = driver.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
    assert resources == [], resources
    urls = [u for u in _requests(driver) if not u.startswith(("data:", "about:"))]
    assert set(urls) <= {path.resolve().as_uri()}, urls
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe  # e.g. a resource blocked by the Content-Security-Policy


def js(driver, script, *args):
    return driver.execute_script(script, *args)


def panel_title(driver) -> str:
    return js(driver, "var t = document.getElementById('kg-panel-title'); return t ? t.textContent : null")


def test_opens_offline_and_draws(driver, pages):
    open_page(driver, pages["full"])
    from selenium.webdriver.common.by import By

    canvas = driver.find_element(By.CSS_SELECTOR, "#kg-network canvas")
    assert canvas.size["width"] > 300 and canvas.size["height"] > 300
    legend = driver.find_elements(By.CSS_SELECTOR, "#kg-legend li")
    assert [li.get_attribute("data-type") for li in legend] == [
        "Method", "Model", "Dataset", "Benchmark", "Task", "Metric"]
    assert "Model" in driver.find_element(By.ID, "kg-legend").text
    assert "evaluatedOn" in driver.find_element(By.ID, "kg-rel-legend").text
    ids = js(driver, "return window.kgView.visibleNodeIds()")
    assert "entity:bert" in ids and not any(i.startswith("paper:") for i in ids)  # papers off
    assert driver.find_element(By.ID, "kg-stats").text == "3 papers \u00b7 8 entities"
    assert driver.title == "Test graph"
    # a known node is drawn inside the canvas
    pos = js(driver, "return window.kgView.domPosition('entity:bert')")
    assert 0 <= pos["x"] <= canvas.size["width"] and 0 <= pos["y"] <= canvas.size["height"]
    assert js(driver, "return window.kgView.network.getPosition('entity:bert').x") is not None


def test_search_by_alias_focuses_the_node(driver, pages):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_page(driver, pages["full"])
    box = driver.find_element(By.ID, "kg-search")
    box.send_keys("bidirectional encoder")
    suggestions = driver.find_elements(By.CSS_SELECTOR, "#kg-suggest li")
    assert suggestions and "BERT" in suggestions[0].text
    box.send_keys(Keys.ENTER)
    assert js(driver, "return window.kgView.network.getSelectedNodes()") == ["entity:bert"]
    assert panel_title(driver) == "BERT"
    time.sleep(0.7)  # the focus animation
    scale = js(driver, "return window.kgView.network.getScale()")
    assert scale >= 1.0
    # the searched node is now in the middle of the canvas
    pos = js(driver, "return window.kgView.domPosition('entity:bert')")
    canvas = driver.find_element(By.CSS_SELECTOR, "#kg-network canvas")
    assert abs(pos["x"] - canvas.size["width"] / 2) < 40 and abs(pos["y"] - canvas.size["height"] / 2) < 40
    assert_no_requests(driver, pages["full"])


def test_real_click_on_a_node_shows_its_evidence(driver, pages):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    open_page(driver, pages["full"])
    canvas = driver.find_element(By.CSS_SELECTOR, "#kg-network canvas")
    pos = js(driver, "return window.kgView.domPosition('entity:roberta')")
    width, height = canvas.size["width"], canvas.size["height"]
    ActionChains(driver).move_to_element_with_offset(
        canvas, int(round(pos["x"] - width / 2)), int(round(pos["y"] - height / 2))).click().perform()
    deadline = time.monotonic() + 5
    while panel_title(driver) != "RoBERTa" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert panel_title(driver) == "RoBERTa"
    assert js(driver, "return window.kgView.network.getSelectedNodes()") == ["entity:roberta"]
    panel = driver.find_element(By.ID, "kg-panel")
    assert "RoBERTa builds on bert with more data and longer training." in panel.text
    group = panel.find_element(By.CSS_SELECTOR, "[data-relation='basedOn']")
    assert group.find_element(By.CSS_SELECTOR, "mark:not(.kg-other)").text == "RoBERTa"
    assert group.find_element(By.CSS_SELECTOR, "mark.kg-other").text == "bert"
    # hovering shows the tooltip: name, type, aliases, paper count
    ActionChains(driver).move_to_element_with_offset(canvas, -width // 2 + 2, -height // 2 + 2).perform()
    ActionChains(driver).move_to_element_with_offset(
        canvas, int(round(pos["x"] - width / 2)), int(round(pos["y"] - height / 2)) + 1).perform()
    deadline = time.monotonic() + 3
    tip = driver.find_element(By.ID, "kg-tooltip")
    while not tip.is_displayed() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "RoBERTa" in tip.text and "Model" in tip.text and "1 paper" in tip.text
    assert "Robustly optimized BERT approach" in tip.text
    assert_no_requests(driver, pages["full"])


def test_panel_lists_papers_relations_and_results(driver, pages):
    from selenium.webdriver.common.by import By

    open_page(driver, pages["full"])
    assert js(driver, "return window.kgView.select('entity:bert')") is True
    assert js(driver, "return window.kgView.select('entity:nope')") is False
    panel = driver.find_element(By.ID, "kg-panel")
    text = panel.text
    assert "BERT-base" in text  # aliases
    assert "Papers (3)" in text.replace("PAPERS", "Papers")
    papers = panel.find_elements(By.CSS_SELECTOR, ".kg-papers li")
    assert [li.text for li in papers][1:] == [
        "BERT: Pre-training of Deep Bidirectional Transformers 2019",
        "RoBERTa: A Robustly Optimized BERT Pretraining Approach 2019"]
    assert [a.get_attribute("href") for a in panel.find_elements(By.CSS_SELECTOR, ".kg-papers a[href]")] == [
        "https://arxiv.org/abs/1810.04805"]  # the paper with no URL and the javascript: one: no link
    links = panel.find_elements(By.CSS_SELECTOR, "a[href]")
    assert all(a.get_attribute("href").startswith("https://") for a in links)
    assert "We evaluate BERT on SQuAD v1.1 and GLUE." in text
    marks = [m.text for m in panel.find_elements(By.CSS_SELECTOR, "[data-relation='evaluatedOn'] mark:not(.kg-other)")]
    assert "BERT" in marks and "BERT-base" in marks
    assert "93.2 F1" in text and "BERT reaches 93.2 F1 on SQuAD v1.1." in text
    # clicking a related entity in the panel selects it
    panel.find_element(By.CSS_SELECTOR, "[data-relation='evaluatedOn'] button[data-node='entity:squad']").click()
    assert panel_title(driver) == "SQuAD"
    # an edge's evidence
    assert js(driver, """
        var net = window.kgView.network, ids = net.body.data.edges.getIds();
        for (var i = 0; i < ids.length; i++) {
          var e = net.body.data.edges.get(ids[i]);
          if (e.rel === 'addresses') return window.kgView.showEdge(ids[i]);
        }
        return false;""") is True
    assert "SQuAD is a benchmark for question answering." in driver.find_element(By.ID, "kg-panel").text
    assert_no_requests(driver, pages["full"])


def test_hostile_text_shows_as_text_and_runs_nothing(driver, pages):
    from selenium.webdriver.common.by import By

    open_page(driver, pages["full"])
    js(driver, "window.kgView.setPapersVisible(true)")
    assert js(driver, "return window.kgView.select('paper:p2')") is True
    panel = driver.find_element(By.ID, "kg-panel")
    assert panel_title(driver) == EVIL_TITLE.replace("\u2028", "\u2028").replace("\u2029", "\u2029")
    assert "<script>window.__kgPwned = 1</script>" in panel.text
    assert "Mallory" in panel.text and "<i>Mallory</i>" in panel.text
    # the javascript: URL became no link
    assert not [a for a in panel.find_elements(By.CSS_SELECTOR, "a[href]")
                if not a.get_attribute("href").startswith("https://")]
    assert js(driver, "return window.kgView.select('entity:evil')") is True
    assert panel_title(driver) == "<b>Bold</b><script>window.__kgPwned = 3</script>"
    assert "</script><script>window.__kgPwned = 4</script>" in panel.text
    assert "window.__kgPwned = 6" in panel.text
    # hostile search text too
    js(driver, "window.kgView.search('<img src=x onerror=window.__kgPwned=7>')")
    assert js(driver, "return typeof window.__kgPwned") == "undefined"
    assert js(driver, "return document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert js(driver, "return document.querySelectorAll('script').length") == 3
    assert js(driver, "return document.querySelectorAll('#kg-panel b, #kg-panel i').length") == 0
    assert_no_requests(driver, pages["full"])


def test_filters_papers_and_physics_toggles(driver, pages):
    from selenium.webdriver.common.by import By

    open_page(driver, pages["full"])
    driver.find_element(By.CSS_SELECTOR, "#kg-legend input[data-type='Dataset']").click()
    ids = js(driver, "return window.kgView.visibleNodeIds()")
    assert "entity:squad" not in ids and "entity:bert" in ids
    driver.find_element(By.CSS_SELECTOR, "#kg-legend input[data-type='Dataset']").click()
    assert "entity:squad" in js(driver, "return window.kgView.visibleNodeIds()")
    # relation filter
    count = "return window.kgView.network.body.data.edges.get().filter(function (e) { return e.rel === 'evaluatedOn'; }).length"
    assert js(driver, count) == 2
    driver.find_element(By.CSS_SELECTOR, "#kg-rel-legend input[data-relation='evaluatedOn']").click()
    assert js(driver, count) == 0
    # papers toggle
    driver.find_element(By.ID, "kg-toggle-papers").click()
    ids = js(driver, "return window.kgView.visibleNodeIds()")
    assert {"paper:p1", "paper:p2", "paper:p3"} <= set(ids)
    assert "3 papers" in driver.find_element(By.ID, "kg-view").text
    # physics toggle
    driver.find_element(By.ID, "kg-toggle-physics").click()
    assert js(driver, "return window.kgView.network.physics.options.enabled") is True
    time.sleep(0.3)
    driver.find_element(By.ID, "kg-toggle-physics").click()
    assert js(driver, "return window.kgView.network.physics.options.enabled") is False
    assert not js(driver, "return window.kgView.error")
    assert_no_requests(driver, pages["full"])


def test_truncated_view_says_so_and_search_points_to_focus(driver, pages):
    from selenium.webdriver.common.by import By

    open_page(driver, pages["small"])
    note = driver.find_element(By.ID, "kg-note").text
    assert "showing the 3 most connected of 8 entities" in note and "--focus" in note
    assert len([i for i in js(driver, "return window.kgView.visibleNodeIds()") if i.startswith("entity:")]) == 3
    assert js(driver, "return window.kgView.search('lonely')") is None
    msg = driver.find_element(By.ID, "kg-search-msg").text
    assert "not in this view" in msg and 'kg view GRAPH --focus "Lonely Method"' in msg
    assert js(driver, "return window.kgView.search('zzzz')") is None
    assert "No entity matches" in driver.find_element(By.ID, "kg-search-msg").text
    assert_no_requests(driver, pages["small"])


def test_the_request_check_catches_requests(driver, pages, tmp_path):
    """A control: the same page with its CSP removed and an image from a server added must
    fail the no-request check (so the check above is not vacuous)."""
    import re

    html = pages["full"].read_text(encoding="utf-8")
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    html = html.replace("<body>", '<body><img src="https://example.invalid/pixel.png" alt="">', 1)
    tampered = tmp_path / "tampered.html"
    tampered.write_text(html, encoding="utf-8")
    with pytest.raises(AssertionError) as err:
        open_page(driver, tampered)
    assert "example.invalid" in str(err.value)
    # and with the CSP kept, the blocked attempt is reported too
    html = pages["full"].read_text(encoding="utf-8").replace(
        "<body>", '<body><img src="https://example.invalid/pixel.png" alt="">', 1)
    tampered.write_text(html, encoding="utf-8")
    with pytest.raises(AssertionError):
        open_page(driver, tampered)


def test_empty_and_odd_graphs_render(driver, tmp_path):
    import networkx as nx

    empty, odd = tmp_path / "empty.html", tmp_path / "odd.html"
    write_html(nx.MultiDiGraph(), empty)
    write_html(odd_graph(), odd)
    open_page(driver, empty)
    assert js(driver, "return window.kgView.visibleNodeIds()") == []
    open_page(driver, odd)
    assert js(driver, "return window.kgView.select('entity:y')") is True
    assert "X relatedTo Y." in js(driver, "return document.getElementById('kg-panel').textContent")
    assert_no_requests(driver, odd)


def test_a_benchmark_panel_shows_its_leaderboard_and_chart(driver, tmp_path):
    from selenium.webdriver.common.by import By

    import kg
    from kg.model import Paper

    papers = [Paper(f"b{i}", f"{name}: Routing for Vision", f"We propose {name}. {name} reaches {acc}% top-1 "
                    f"accuracy on ImageNet.", year) for i, (name, acc, year) in enumerate(
                        [("ZorbNet", "81.2", 2021), ("QuixNet", "83.9", 2022), ("MirelNet", "82.5", 2023),
                         ("TalvNet", "85.1", 2024)])]
    g = kg.build(papers)
    page = tmp_path / "board.html"
    g.to_html(page)
    open_page(driver, page)
    bench = g.entity("ImageNet").id
    assert js(driver, "return window.kgView.select(arguments[0])", f"entity:{bench}") is True
    panel = driver.find_element(By.ID, "kg-panel")
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in panel.find_elements(By.CSS_SELECTOR, ".kg-board tbody tr")]
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [
        ("1", "TalvNet", "85.1%", "2024"), ("2", "QuixNet", "83.9%", "2022"), ("3", "MirelNet", "82.5%", "2023"),
        ("4", "ZorbNet", "81.2%", "2021")]
    assert len(panel.find_elements(By.CSS_SELECTOR, "svg.kg-chart circle")) == 4  # the best of each year
    assert "higher is better" in panel.find_element(By.CSS_SELECTOR, ".kg-chart-figure figcaption").text
    metric = g.entity("top-1 accuracy").id
    assert js(driver, "return window.kgView.select(arguments[0])", f"entity:{metric}") is True
    assert "ImageNet 4" in driver.find_element(By.CSS_SELECTOR, ".kg-reported-on").text
    assert_no_requests(driver, page)


def test_the_search_box_follows_the_selection(driver, pages):
    from selenium.webdriver.common.by import By

    open_page(driver, pages["full"])
    box = driver.find_element(By.ID, "kg-search")
    assert js(driver, "return window.kgView.select('entity:squad')") is True
    assert box.get_attribute("value") == "SQuAD"
    # a related entity chosen in the panel
    driver.find_element(By.CSS_SELECTOR, "#kg-panel button[data-node]").click()
    assert box.get_attribute("value") == panel_title(driver) != "SQuAD"


def test_a_slice_of_a_larger_graph_opens_as_communities_that_expand(driver, tmp_path, example_graph):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    page = tmp_path / "overview.html"
    write_html(example_graph.nx, page, max_nodes=60, title="Overview")
    open_page(driver, page)
    clusters = js(driver, "return window.kgView.clusters()")
    drawn = "return Object.keys(window.kgView.network.getPositions()).length"
    assert len(clusters) >= 2 and js(driver, drawn) < 60
    assert "drawn as one node each" in driver.find_element(By.ID, "kg-view").text
    # a real click on a cluster expands it: its members are drawn in its place
    before = js(driver, drawn)
    canvas = driver.find_element(By.CSS_SELECTOR, "#kg-network canvas")
    pos = js(driver, "var n = window.kgView.network; return n.canvasToDOM(n.getPosition(arguments[0]))", clusters[0])
    width, height = canvas.size["width"], canvas.size["height"]
    ActionChains(driver).move_to_element_with_offset(
        canvas, int(round(pos["x"] - width / 2)), int(round(pos["y"] - height / 2))).click().perform()
    deadline = time.monotonic() + 5
    while clusters[0] in js(driver, "return window.kgView.clusters()") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert clusters[0] not in js(driver, "return window.kgView.clusters()")
    assert js(driver, drawn) > before
    # selecting (or searching) an entity inside a cluster opens that cluster and its panel
    member = js(driver, "var c = window.kgView.network.getNodesInCluster(arguments[0]); return c[0]", clusters[1])
    assert js(driver, "return window.kgView.select(arguments[0])", member)
    assert clusters[1] not in js(driver, "return window.kgView.clusters()")
    assert js(driver, "return window.kgView.network.getSelectedNodes()") == [member]
    # the toggle ungroups and regroups; filters keep working while grouped
    js(driver, "window.kgView.setGrouped(false)")
    assert js(driver, "return window.kgView.clusters()") == [] and js(driver, drawn) == 60
    js(driver, "window.kgView.setGrouped(true)")
    assert len(js(driver, "return window.kgView.clusters()")) == len(clusters)
    js(driver, "window.kgView.setTypeVisible('Task', false)")
    js(driver, "window.kgView.setTypeVisible('Task', true)")
    assert len(js(driver, "return window.kgView.clusters()")) == len(clusters)
    assert_no_requests(driver, page)


def test_a_whole_graph_and_a_focus_view_are_not_grouped(driver, pages, tmp_path, example_graph):
    open_page(driver, pages["full"])
    assert js(driver, "return window.kgView.clusters()") == []
    page = tmp_path / "focus.html"
    write_html(example_graph.nx, page, focus="Llama 2", hops=2, max_nodes=60)
    open_page(driver, page)
    assert js(driver, "return window.kgView.clusters()") == []


# the labels vis-network draws on screen (its own measure of each), as boxes in screen pixels
LABEL_BOXES = """
var net = window.kgView.network, scale = net.getScale(), out = [];
var box = document.getElementById("kg-network").getBoundingClientRect();
Object.keys(net.getPositions()).forEach(function (id) {
  var node = net.body.nodes[id], size = node.labelModule.size;
  if (!node.options.label || node.options.font.size * scale < 8 || !size.width) return;
  var a = net.canvasToDOM({x: size.left, y: size.top}), b = net.canvasToDOM({x: size.left + size.width, y: size.top + size.height});
  if (b.x < 0 || a.x > box.width || b.y < 0 || a.y > box.height) return;  // off screen
  // vis-network does not draw a node outside the view, and keeps its label's box from the last
  // frame that drew it: a box not centred under its node now is such a stale one, not drawn
  var at = net.canvasToDOM(net.getPositions([id])[id]);
  if (Math.abs((a.x + b.x) / 2 - at.x) > 2) return;
  out.push([id, a.x, a.y, b.x, b.y]);
});
return out;
"""


def _overlaps(boxes):
    found = []
    for i, (a, ax0, ay0, ax1, ay1) in enumerate(boxes):
        for b, bx0, by0, bx1, by1 in boxes[i + 1:]:
            # a pixel of slack: the viewer's estimate of a label's width is not the browser's measure
            if ax0 < bx1 - 1 and bx0 < ax1 - 1 and ay0 < by1 - 1 and by0 < ay1 - 1:
                found.append((a, b))
    return found


@pytest.mark.parametrize("scale_factor", [1.0, 2.5])
def test_drawn_labels_do_not_overlap(driver, tmp_path, example_graph, scale_factor):
    page = tmp_path / "labels.html"
    write_html(example_graph.nx, page)
    open_page(driver, page)
    if scale_factor != 1.0:
        js(driver, "var n = window.kgView.network; n.moveTo({scale: n.getScale() * arguments[0]})", scale_factor)
    deadline = time.monotonic() + 5
    while True:
        time.sleep(0.3)  # the viewer re-places labels on the frame after a zoom
        boxes = js(driver, LABEL_BOXES)
        if not _overlaps(boxes) or time.monotonic() > deadline:
            break
    assert len(boxes) >= 10  # the headline entities' labels at least
    assert _overlaps(boxes) == []
