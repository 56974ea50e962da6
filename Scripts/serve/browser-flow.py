#!/usr/bin/env python3
"""The review queue in a real headless Chromium (Debian `chromium`, driven by Playwright from PyPI):
signs in with a security token, takes screenshots of the queue and a report page, records a
decision through the form and finds it in the audit log.

Usage: python3 Scripts/serve/browser-flow.py BASE_URL RECRUITER_TOKEN SECURITY_TOKEN [OUT_DIR]
(see Scripts/serve/browser-flow.sh, which starts the server and seeds it with the samples)."""
import json
import sys
import urllib.request

from playwright.sync_api import sync_playwright

base, recruiter, security = sys.argv[1:4]
out = sys.argv[4] if len(sys.argv) > 4 else "Docs/screenshots"

def post(record_path):
    with open(record_path, "rb") as f:
        request = urllib.request.Request(base + "/v1/screenings", data=f.read(), method="POST",
                                         headers={"Content-Type": "application/json", "Authorization": "Bearer " + recruiter})
    with urllib.request.urlopen(request) as response:
        assert response.status == 201, response.status

for name in ["escalate-rented-identity", "review-onboarding-changes", "review-browser-night",
             "clear-google-voice", "clear-international"]:
    post(f"Samples/applications/{name}.json")

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1200, "height": 900}, java_script_enabled=False)
    page.goto(base + "/queue")
    assert page.url.endswith("/login"), page.url
    page.fill("input[name=token]", security)
    page.click("button[type=submit]")
    assert page.url.endswith("/queue"), page.url
    assert page.locator("text=sample-escalate-rented-identity").count() == 1
    page.screenshot(path=f"{out}/queue.png", full_page=True)
    page.click("text=sample-review-onboarding-changes")
    assert "ONB-SHIP-CHANGED-AFTER-OFFER" in page.content()
    page.screenshot(path=f"{out}/report.png", full_page=True)
    page.check("input[value=needs_verification]")
    page.fill("textarea[name=note]", "Asked for a utility bill for the new address.")
    page.click("text=Record decision")
    assert "Asked for a utility bill" in page.content()
    page.goto(base + "/queue/audit")
    rows = page.locator("tr", has_text="decision.record")
    assert rows.count() == 1 and "needs_verification" in rows.first.inner_text(), rows.count()
    assert "sample-review-onboarding-changes" in rows.first.inner_text()
    page.screenshot(path=f"{out}/audit.png", full_page=True)
    browser.close()
print(json.dumps({"queue": f"{out}/queue.png", "report": f"{out}/report.png", "audit": f"{out}/audit.png", "decision_in_audit_log": True}))
