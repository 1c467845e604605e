#!/usr/bin/env python3
"""The desk as a person uses it, in a real Chromium (Debian's chromium and chromium-driver, driven
by Selenium): sign in, upload a sample, read its report, record a decision, see it in the
oversight view; hostile content stays inert. Screenshots of each page go to --screenshots.

Run by Tests/WinnowTests/BrowserTests.swift against a server it starts; by hand:
    winnow serve --data DIR --port 8090 &
    python3 scripts/desk-browser-test.py --url http://127.0.0.1:8090 --reviewer NAME:PASSWORD \
        --oversight NAME:PASSWORD --sample SampleRequests/mla-kz-refugee-lawyer-search.json \
        --hostile FILE --screenshots docs/desk
"""
import argparse
import base64
import os
import sys

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def browser(chromium, chromedriver):
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)


class Journey:
    def __init__(self, driver, url, shots):
        self.d, self.url, self.shots, self.steps = driver, url.rstrip("/"), shots, []

    def check(self, ok, what):
        if not ok:
            raise AssertionError(f"{what} (at {self.d.current_url})")
        self.steps.append(what)

    def shot(self, name, width=1280):
        if not self.shots:
            return
        os.makedirs(self.shots, exist_ok=True)
        self.d.set_window_size(width, 1000)
        height = self.d.execute_script("return document.documentElement.scrollHeight")
        # The page beyond the window (its first 2,200 px, enough to see each page), through DevTools.
        metrics = {"width": width, "height": min(height, 2200), "deviceScaleFactor": 1, "mobile": width < 900}
        self.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        clip = {"x": 0, "y": 0, "width": width, "height": metrics["height"], "scale": 1}
        data = self.d.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip})["data"]
        self.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        with open(os.path.join(self.shots, f"{name}.png"), "wb") as f:
            f.write(base64.b64decode(data))

    @staticmethod
    def gone(element):
        """Whether the page an element belonged to has been replaced. Chromium sometimes answers for a
        replaced page's node with "Node with given id does not belong to the document" rather than
        the stale-element error that Selenium's staleness_of expects: both mean it is gone."""
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True

    def submit(self, element, keys=None):
        """Clicks (or types into) what sends a form, and waits for the next page to replace this one."""
        old = self.d.find_element(By.TAG_NAME, "html")
        if keys is None:
            element.click()
        else:
            element.send_keys(keys)
        WebDriverWait(self.d, 30).until(lambda d: self.gone(old))
        WebDriverWait(self.d, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def accessible(self, where):
        """Every control has a label, the page has one h1 and a lang, and headings do not skip a level."""
        unlabelled = self.d.execute_script(
            "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
            ".filter(e => !e.labels.length && !e.getAttribute('aria-labelledby') && !e.getAttribute('aria-label')).map(e => e.name)")
        h1 = self.d.execute_script("return document.querySelectorAll('main h1, body > h1').length")
        mains = self.d.execute_script("return document.querySelectorAll('main').length")
        lang = self.d.execute_script("return document.documentElement.lang")
        skips = self.d.execute_script(
            "let last = 0, bad = []; for (const h of document.querySelectorAll('h1,h2,h3,h4')) {"
            " const n = +h.tagName[1]; if (n > last + 1) bad.push(h.textContent.slice(0, 40)); last = n; } return bad")
        # WCAG 2 contrast of every element's own text against the first opaque background behind it.
        low = self.d.execute_script(r"""
            const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
            const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                                         return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
            const back = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
                                  if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3); } return [255, 255, 255]; };
            const bad = [];
            for (const e of document.querySelectorAll('body *')) {
              if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
              const st = getComputedStyle(e); if (st.display === 'none' || st.visibility === 'hidden') continue;
              const fg = rgb(st.color).slice(0, 3), bg = back(e);
              const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
              const ratio = (a + 0.05) / (b + 0.05);
              const large = parseFloat(st.fontSize) >= 24 || (parseFloat(st.fontSize) >= 18.66 && +st.fontWeight >= 700);
              if (ratio < (large ? 3 : 4.5)) bad.push(e.tagName + ' "' + e.textContent.trim().slice(0, 30) + '" ' + ratio.toFixed(2));
            }
            return bad.slice(0, 5);""")
        self.check(not low, f"{where}: text contrast at least 4.5:1 (3:1 when large): {low}")
        self.check(not unlabelled and lang == "en" and h1 >= 1 and mains == 1 and not skips,
                   f"{where}: every control labelled ({unlabelled}), lang {lang}, one main landmark ({mains}), headings in order ({skips})")

    def no_alert(self, where):
        try:
            self.d.switch_to.alert
            raise AssertionError(f"a script ran on {where}: an alert is open")
        except NoAlertPresentException:
            pass

    def sign_in(self, credentials):
        name, password = credentials.split(":", 1)
        self.d.get(self.url + "/desk/queue")
        self.check("/desk/sign-in" in self.d.current_url, "without a session the desk sends you to sign in")
        self.d.find_element(By.ID, "name").send_keys(name)
        self.submit(self.d.find_element(By.ID, "password"), password + Keys.ENTER)
        self.check(self.d.current_url.endswith("/desk/queue"), f"{name} is signed in and sees the queue")

    def sign_out(self):
        self.submit(self.d.find_element(By.XPATH, "//button[text()='Sign out']"))
        self.check("/desk/sign-in" in self.d.current_url, "signing out goes back to the sign-in page")

    def upload(self, path):
        self.d.get(self.url + "/desk/queue")
        self.d.find_element(By.ID, "file").send_keys(os.path.abspath(path))
        self.submit(self.d.find_element(By.XPATH, "//button[text()='Validate and screen']"))
        self.check("/desk/cases/" in self.d.current_url, f"{os.path.basename(path)} is screened on arrival and its page opens")
        return self.d.current_url

    def run(self, args):
        d = self.d
        d.get(self.url + "/desk/sign-in")
        self.accessible("sign-in")
        self.shot("01-sign-in")
        self.sign_in(args.reviewer)
        case = self.upload(args.sample)
        text = d.find_element(By.TAG_NAME, "body").text
        self.check("CRITICAL" in text and "Risk report:" in text, "the case page shows the band and the report")
        self.check("screened (entry" in text, "the history says who screened it")
        self.accessible("the case page")
        self.shot("02-case")
        # The decision: refuse, agree with every reason but the first, one ground, a rationale.
        d.find_element(By.ID, "decision-refuse").click()
        agrees = d.find_elements(By.CSS_SELECTOR, "input[type=radio][value=agree]")
        disagrees = d.find_elements(By.CSS_SELECTOR, "input[type=radio][value=disagree]")
        self.check(len(agrees) > 0 and len(agrees) == len(disagrees), f"{len(agrees)} reasons to agree or disagree with")
        disagrees[0].click()
        for radio in agrees[1:]:
            d.execute_script("arguments[0].click()", radio)
        d.find_element(By.ID, "ground-0").click()
        d.find_element(By.ID, "rationale").send_keys("Recognised refugee in the requested state; the files sought are a lawyer's.")
        self.submit(d.find_element(By.XPATH, "//button[text()='Record the decision']"))
        text = d.find_element(By.TAG_NAME, "body").text
        self.check("decided: refuse by" in text, "the decision is recorded and shown on the case page")
        self.check("Correct the decision" in text, "a recorded decision is final: the form now offers a correction")
        self.shot("03-decided")
        d.get(self.url + "/desk/queue")
        self.check("decided: refuse" in d.find_element(By.TAG_NAME, "body").text, "the queue shows the request as decided")
        self.accessible("the queue")
        self.shot("04-queue")

        # Hostile content: markup, event handlers, javascript: links and a bidi override stay inert.
        hostile = self.upload(args.hostile)
        for page in (hostile, hostile + "/report", self.url + "/desk/queue"):
            d.get(page)
            self.no_alert(page)
            scripts = d.execute_script("return document.scripts.length")
            images = d.execute_script("return document.images.length")
            links = d.execute_script("return [...document.links].filter(a => !a.href.startsWith('http')).length")
            self.check(scripts == 0 and images == 0 and links == 0, f"{page}: no script, image or javascript: link ({scripts}, {images}, {links})")
        d.get(hostile)
        self.check("[U+202E]" in d.find_element(By.TAG_NAME, "body").text, "a bidi override is shown, not obeyed")
        self.sign_out()

        self.sign_in(args.oversight)
        d.get(self.url + "/desk/oversight")
        text = d.find_element(By.TAG_NAME, "body").text
        self.check("Audit of 1 past decisions" in text, "oversight sees the recorded decision in the audit")
        self.check("Record the decision" not in d.page_source, "oversight has no decision form")
        self.accessible("the oversight view")
        self.shot("05-oversight")
        d.get(case)
        self.check("Record the decision" not in d.page_source, "oversight reads the case but cannot decide")
        self.shot("06-case-tablet", width=820)
        # The keyboard alone reaches the sign-out button from the top of the page.
        body = d.find_element(By.TAG_NAME, "body")
        for _ in range(4):
            body.send_keys(Keys.TAB)
        self.check(d.switch_to.active_element.tag_name in ("a", "button"), "the keyboard moves through the page's links and buttons")
        return self.steps


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--reviewer", required=True, help="NAME:PASSWORD")
    p.add_argument("--oversight", required=True, help="NAME:PASSWORD")
    p.add_argument("--sample", required=True)
    p.add_argument("--hostile", required=True)
    p.add_argument("--screenshots", default="")
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = p.parse_args()
    driver = browser(args.chromium, args.chromedriver)
    try:
        steps = Journey(driver, args.url, args.screenshots).run(args)
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        driver.quit()
    for s in steps:
        print(f"ok: {s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
