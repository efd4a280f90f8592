"""The HTML report in a real browser: headless Chromium driven over the DevTools protocol.

No browser is downloaded: the test uses the system's ``chromium`` (Debian's package) and is
skipped when there is none. The protocol client is the standard library only: a minimal
websocket (RFC 6455, text frames, client masking) over a socket. Chromium always gets a fresh
profile directory, no network services, and is killed in ``finally``; every wait is bounded.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from cramplog.render.html import athlete_anchor, render_html
from cramplog.render.html_charts import CHARTS

pytestmark = pytest.mark.browser

TIMEOUT_S = 30.0


def chromium_path() -> str | None:
    env = os.environ.get("CRAMPLOG_CHROMIUM")
    if env and Path(env).is_file():
        return env
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


class WebSocket:
    """Just enough of RFC 6455 for the DevTools protocol: text frames, masked client frames."""

    def __init__(self, url: str, timeout: float) -> None:
        u = urlparse(url)
        self.sock = socket.create_connection((u.hostname or "127.0.0.1", u.port or 80), timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("DevTools closed the connection during the handshake")
            head += chunk
        head, self.buf = head.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head.decode(errors="replace"))

    def send(self, text: str) -> None:
        data = text.encode()
        n = len(data)
        header = bytes([0x81])
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(header + mask + body)

    def _read(self, n: int) -> bytes:
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self) -> str:
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else b""
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            opcode = b0 & 0x0F
            if opcode == 0x8:
                raise ConnectionError("DevTools sent close")
            if opcode == 0x9:  # ping: answer is optional for our short sessions
                continue
            message += payload
            if b0 & 0x80:
                return message.decode()

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


class Browser:
    """One headless Chromium with one page, spoken to over CDP."""

    def __init__(self, exe: str, profile: Path) -> None:
        # stderr goes to a file: a pipe nobody drains would fill and stall the browser
        self.log_path = profile / "chromium.log"
        self.log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [
                exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic",
                "--disable-extensions", "--disable-dev-shm-usage", "--mute-audio",
                f"--user-data-dir={profile}", "--remote-debugging-port=0",
                "--window-size=1200,900", "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )  # fmt: skip
        self.ws: WebSocket | None = None
        self.session: str | None = None
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def connect(self) -> None:
        """Read the DevTools address chromium prints on stderr, then attach to its page
        (flat session over the browser's own websocket: no HTTP endpoint needed)."""
        deadline = time.monotonic() + TIMEOUT_S
        browser_ws = None
        while time.monotonic() < deadline and browser_ws is None:
            m = re.search(rb"DevTools listening on (ws://\S+)", self.log_path.read_bytes())
            if m:
                browser_ws = m.group(1).decode()
            elif self.proc.poll() is not None:
                tail = self.log_path.read_bytes()[-800:].decode(errors="replace")
                raise RuntimeError(f"chromium exited with {self.proc.returncode}: {tail}")
            else:
                time.sleep(0.05)
        if browser_ws is None:
            raise TimeoutError("chromium did not report a DevTools address")
        self.ws = WebSocket(browser_ws, TIMEOUT_S)
        pages: list[dict[str, Any]] = []
        while time.monotonic() < deadline and not pages:
            infos = self.call("Target.getTargets")["targetInfos"]
            pages = [t for t in infos if t["type"] == "page"]
            if not pages:
                time.sleep(0.1)
        if not pages:
            raise TimeoutError("chromium has no page target")
        r = self.call("Target.attachToTarget", targetId=pages[0]["targetId"], flatten=True)
        self.session = r["sessionId"]

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command (to the attached page once there is one) and wait for its answer;
        events that arrive meanwhile are kept in ``events``."""
        assert self.ws is not None
        self.next_id += 1
        my_id = self.next_id
        msg_out: dict[str, Any] = {"id": my_id, "method": method, "params": params}
        if self.session is not None:
            msg_out["sessionId"] = self.session
        self.ws.send(json.dumps(msg_out))
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return dict(msg.get("result", {}))
            if "method" in msg:
                self.events.append(msg)
        raise TimeoutError(method)

    def wait_event(self, method: str) -> dict[str, Any]:
        assert self.ws is not None
        for e in self.events:
            if e["method"] == method:
                return e
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            if "method" in msg:
                self.events.append(msg)
                if msg["method"] == method:
                    return msg
        raise TimeoutError(method)

    def evaluate(self, expression: str) -> Any:
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"])
        return r["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and failed loads seen so far."""
        out = []
        for e in self.events:
            m, p = e["method"], e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append(f"exception: {p.get('exceptionDetails', {}).get('text')}")
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(f"console.{p['type']}: {p.get('args')}")
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(f"log: {p['entry'].get('text')} {p['entry'].get('url', '')}")
            elif m == "Network.requestWillBeSent":
                url = p.get("request", {}).get("url", "")
                if not url.startswith(("file:", "data:", "about:")):
                    out.append(f"network request: {url}")
        return out

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.log.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    exe = chromium_path()
    if exe is None:
        pytest.skip("no chromium on this machine (Debian: apt-get install chromium)")
    profile = Path(tempfile.mkdtemp(prefix="cramplog-chromium-"))
    b = Browser(exe, profile)
    try:
        b.connect()
        yield b
    finally:
        b.close()
        shutil.rmtree(profile, ignore_errors=True)


def load(browser: Browser, path: Path) -> None:
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.call(f"{domain}.enable")
    browser.call("Page.navigate", url=path.as_uri())
    browser.wait_event("Page.loadEventFired")


def screenshot(browser: Browser, out: Path) -> Path:
    height = int(browser.evaluate("document.documentElement.scrollHeight"))
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        width=1200,
        height=min(height, 16000),
        deviceScaleFactor=1,
        mobile=False,
    )
    shot = browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    out.write_bytes(base64.b64decode(shot["data"]))
    return out


CHECK_JS = """
(() => {
  const out = {svgs: document.querySelectorAll('svg').length, charts: {}, markers: {}};
  for (const svg of document.querySelectorAll('svg.chart')) {
    const box = svg.getBoundingClientRect();
    out.charts[svg.id] = {
      marks: svg.querySelectorAll('rect, path, circle').length,
      width: Math.round(box.width), height: Math.round(box.height),
    };
    out.markers[svg.id] = svg.querySelectorAll('.cramp-marker').length;
  }
  const s = document.querySelector('section.athlete');
  out.athlete = s ? s.dataset.athlete : null;
  out.disclaimer = (document.querySelector('footer.disclaimer') || {}).innerText || '';
  out.scripts = document.scripts.length;
  const bar = document.querySelector('svg.chart .series.bars rect');
  out.barFill = bar ? getComputedStyle(bar).fill : null;
  // every line a chart draws has a colour: an SVG path without a stroke is invisible
  out.unstroked = [...document.querySelectorAll('svg.chart path.series.line')]
    .filter((p) => ['none', ''].includes(getComputedStyle(p).stroke))
    .map((p) => p.closest('svg').id + ' ' + p.getAttribute('class'));
  return out;
})()
"""


def test_report_renders_in_chromium(browser: Browser, tmp_path: Path) -> None:
    from test_render_html import HOSTILE, make_report

    reports = [make_report("Alex"), make_report(HOSTILE, days=60, cramp_days=(45,), goal=False)]
    page = tmp_path / "report.html"
    page.write_text(render_html(reports), encoding="utf-8")
    load(browser, page)
    info = browser.evaluate(CHECK_JS)
    # the hostile name was shown as text and ran nothing
    assert info["scripts"] == 0
    assert browser.evaluate("window.__pwned === undefined && document.title.includes('<script>')")
    assert info["athlete"] == "Alex"
    assert info["svgs"] >= 2 * len(CHARTS)
    for i, rep in enumerate(reports, start=1):
        anchor = athlete_anchor(i, rep.athlete)
        for name in CHARTS:
            chart = info["charts"].get(f"{anchor}-{name}")
            assert chart is not None, f"{anchor}-{name} missing"
            assert chart["marks"] > 0 and chart["width"] > 500 and chart["height"] > 60, chart
            assert info["markers"][f"{anchor}-{name}"] == len(rep.cramps)
    assert info["barFill"] not in (None, "none", "rgb(0, 0, 0)")  # the style sheet applied
    assert info["unstroked"] == []
    assert "not medical advice" in info["disclaimer"]
    # the team summary links jump to each athlete
    href = browser.evaluate("document.querySelector('#team a').getAttribute('href')")
    assert browser.evaluate(f"!!document.getElementById({json.dumps(href[1:])})")
    shot = screenshot(browser, tmp_path / "report.png")
    assert shot.stat().st_size > 20_000
    assert browser.problems() == []


def test_sample_report_draws_the_goal_course(browser: Browser, tmp_path: Path) -> None:
    """The bundled season's report, course profile included, with every line visible."""
    from cramplog.cli.app import run

    alex = Path(__file__).resolve().parent.parent / "sample_logs" / "alex"
    if not (alex / "athlete.toml").is_file():
        pytest.skip("sample_logs/alex is not there")
    page = tmp_path / "alex.html"
    db = str(tmp_path / "store.sqlite")
    assert run(["import", str(alex), "--db", db]) == 0
    assert run(["report", "--db", db, "--athlete", "Alex Moreno", "-o", str(page)]) == 0
    load(browser, page)
    info = browser.evaluate(CHECK_JS)
    course = [k for k in info["charts"] if k.endswith("-course")]
    assert len(course) == 1 and info["charts"][course[0]]["width"] > 500
    assert info["unstroked"] == []
    assert browser.problems() == []


def test_console_errors_are_caught(browser: Browser, tmp_path: Path) -> None:
    """The harness itself: a page with a failing script and a remote image is reported."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><title>x</title><script>console.error('boom'); undefinedThing();</script>"
        '<img src="http://127.0.0.1:9/x.png">',
        encoding="utf-8",
    )
    load(browser, bad)
    problems = " | ".join(browser.problems())
    assert "boom" in problems and "exception" in problems and "127.0.0.1:9" in problems
