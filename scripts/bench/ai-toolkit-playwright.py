"""The flows of flows/ai-toolkit (login, create dataset, create job, start job, wait for the first
checkpoint and download it, clean up) written for Playwright for Python, so browser-cpu.sh can compare
the CPU of Playwright's Chromium with discover's on the same flow.
Usage: python ai-toolkit-playwright.py BASE_URL CHROMIUM_EXECUTABLE (password from AI_TOOLKIT_PASSWORD)."""
import os
import re
import sys
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

base, executable = sys.argv[1].rstrip("/"), sys.argv[2]
password = os.environ["AI_TOOLKIT_PASSWORD"]
fixtures = sorted(str(p) for p in (Path(__file__).resolve().parents[2] / "flows/ai-toolkit/fixtures").glob("*.png"))
run_id = f"{os.getpid()}{int(time.time()) % 100000}"


def matches(method, pattern, status=200):
    regex = re.compile(pattern)
    return lambda r: r.request.method == method and regex.search(r.url) and r.status == status


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=executable, headless=True)
    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)

    # 01 login
    try:
        with page.expect_response(lambda r: r.url.endswith("/api/monitor") and r.status == 401, timeout=5_000):
            page.goto(base + "/dashboard")
    except Exception:
        pass
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Check Password").click()
    page.locator("input#token").wait_for(state="detached")
    expect(page.get_by_role("link", name="Dashboard").first).to_be_visible()

    # 02 create dataset
    page.goto(base + "/datasets")
    page.get_by_role("button", name="New Dataset", exact=True).click()
    page.get_by_placeholder("Dataset Name").fill(f"discover_{run_id}")
    page.get_by_role("button", name="Create", exact=True).click()
    page.wait_for_url(re.compile(r"/datasets/discover_"))
    dataset = page.url.rstrip("/").split("/")[-1]
    page.get_by_text(f"Dataset: {dataset}").wait_for()
    page.get_by_role("button", name="Add Images", exact=True).click()
    page.get_by_text("Drag & drop files here or click to select").wait_for()
    listings = []
    page.on("response", lambda r: listings.append(r) if matches("POST", r"/api/datasets/listImages$")(r) else None)
    with page.expect_response(matches("POST", r"/api/datasets/upload$")):
        page.locator("input[type=file]").set_input_files(fixtures)
    deadline = time.time() + 60
    while not any(len(r.json().get("images", [])) >= 3 for r in list(listings)):
        if time.time() > deadline:
            raise SystemExit("the image list never showed three images")
        page.wait_for_timeout(100)
    page.get_by_text("No Images Found").wait_for(state="hidden")

    # 03 create job
    job_name = f"discover_job_{run_id}"
    page.goto(base + "/jobs/new")
    page.get_by_text("New Training Job").wait_for()
    expect(page.get_by_placeholder("Enter training name")).to_be_enabled(timeout=60_000)
    page.get_by_text("Loading...", exact=True).wait_for(state="hidden")
    page.get_by_placeholder("Enter training name").fill(job_name)
    page.locator("xpath=//label[normalize-space()='Trigger Word']/following::input[1]").fill("d1sc0ver")
    page.get_by_placeholder("eg. 2000").fill("20")
    page.locator("xpath=//label[normalize-space()='Target Dataset']/following-sibling::*[1]").click()
    page.get_by_role("option", name=dataset, exact=True).click()
    page.get_by_text(dataset).first.wait_for()
    page.get_by_role("button", name="Create Job", exact=True).click()
    page.get_by_text(f"Job: {job_name}").wait_for()
    job_id = re.search(r"/jobs/([^/?#]+)", page.url).group(1)

    # 04 start job
    page.goto(f"{base}/jobs/{job_id}")
    page.get_by_text(f"Job: {job_name}").wait_for()
    with page.expect_response(matches("GET", rf"/api/queue/[^/]+/start$")):
        with page.expect_response(matches("GET", rf"/api/jobs/{re.escape(job_id)}/start$")):
            page.locator("button", has=page.locator("svg.lucide-play")).click()
    page.get_by_text(re.compile(r"^(running|completed)$")).first.wait_for(timeout=120_000)

    # 05 wait for the first checkpoint and download it
    page.get_by_text("Checkpoints").first.wait_for()
    link = page.locator("a[href*='/api/files/']").first
    link.wait_for(timeout=3_600_000)
    with page.expect_download(timeout=120_000) as download:
        link.click()
    download.value.path()

    # 90 cleanup
    page.goto(base + "/jobs")
    page.get_by_text(job_name).first.wait_for()
    page.locator("tr", has=page.get_by_text(job_name)).locator("button", has=page.locator("svg[class*='lucide-trash']")).click()
    page.get_by_text("Delete Job").first.wait_for()
    with page.expect_response(matches("GET", rf"/api/jobs/{re.escape(job_id)}/delete$")):
        page.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_text(job_name).first.wait_for(state="detached", timeout=30_000)
    page.goto(base + "/datasets")
    page.get_by_text(dataset).first.wait_for()
    page.locator("tr", has=page.get_by_text(dataset, exact=True)).locator("button", has=page.locator("svg")).click()
    page.get_by_text("Delete Dataset").first.wait_for()
    with page.expect_response(matches("POST", r"/api/datasets/delete$")):
        page.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_text(dataset, exact=True).first.wait_for(state="detached", timeout=30_000)

    context.close()
    browser.close()
