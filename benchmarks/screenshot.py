"""Screenshot a kg ``graph.html`` in headless Chromium (network blocked), e.g. for the README.

    python benchmarks/screenshot.py GRAPH_HTML OUT_PNG [--size 1400x900] [--select NODE_ID]
                                    [--search TEXT] [--papers]

Waits for ``window.kgView.ready`` (the viewer's first draw), optionally opens a node's side
panel (``--select entity:bert`` or ``--search BERT``; by default the best-ranked entity's),
then saves the PNG. Needs Debian's chromium and chromium-driver.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("html", type=Path)
    ap.add_argument("png", type=Path)
    ap.add_argument("--size", default="1400x900", help="window size WxH (default 1400x900)")
    ap.add_argument("--select", help="node id whose side panel to open")
    ap.add_argument("--search", help="text to search for (as typed in the search box)")
    ap.add_argument("--no-panel", action="store_true", help="leave the side panel empty")
    ap.add_argument("--papers", action="store_true", help="show paper nodes")
    args = ap.parse_args(argv)

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    width, height = (int(v) for v in args.size.lower().split("x"))
    profile = tempfile.mkdtemp(prefix="kg-shot-chrome-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--hide-scrollbars",
                f"--window-size={width},{height}", "--force-device-scale-factor=1",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
                f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(options=opts,
                              service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
    try:
        # the window size includes the (invisible) browser chrome: fix the viewport instead
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        driver.get(args.html.resolve().as_uri())
        deadline = time.monotonic() + 300
        while not driver.execute_script("return !!(window.kgView && (window.kgView.ready || window.kgView.error))"):
            if time.monotonic() > deadline:
                print("the page did not become ready in 300 s", file=sys.stderr)
                return 1
            time.sleep(0.1)
        error = driver.execute_script("return window.kgView.error")
        if error:
            print(f"the page reported an error: {error}", file=sys.stderr)
            return 1
        if args.papers:
            driver.execute_script("window.kgView.setPapersVisible(true)")
        if args.search:
            driver.execute_script("window.kgView.search(arguments[0])", args.search)
            time.sleep(0.8)  # the focus animation
        elif args.select:
            if not driver.execute_script("return window.kgView.select(arguments[0])", args.select):
                print(f"{args.select} is not in the view", file=sys.stderr)
        elif not args.no_panel:
            driver.execute_script(
                "var ids = window.kgView.visibleNodeIds(); if (ids.length) window.kgView.select(ids[0]);")
        time.sleep(0.3)
        args.png.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(args.png))
        print(f"wrote {args.png}")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
