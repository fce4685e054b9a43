"""The official MCP conformance suite against a composed wacpy server.

The server is ``wacpy.mcp.compose_server`` of the fixtures in ``tests/conformance/fixtures`` (tools in
C, the JSON Schema 2020-12 tool in C, resources/prompts/completions in Python), served by ``wasmtime
serve -Scli -Skeyvalue -Shttp`` on a free loopback port. The suite (``@modelcontextprotocol/
conformance``, npm-installed into ``.cache/conformance/suite-<version>``) runs its server scenarios once, in
one process (about 3 s), and saves each scenario's checks; the tests below read them. Two suites
(``harness.SUITES``: 0.1.16 ``--suite all``, 0.2.0-alpha.12 ``--requirements 2025-11-25`` and
``--requirements 2026-07-28``, on Node 22 from npm) each run in three modes (``SERVE_MODES``).

A scenario **passes** when it has at least one successful check and no failed one; one with only
warnings or informational checks is "not scored" (the SSE scenarios without a session), which does not
count as a pass. ``REQUIRED`` (``REQUIRED_2026`` for the 2026-07-28 run) must pass;
``tests/conformance/expected-failures.txt`` (``expected-failures-2026-07-28.txt``) lists the rest
with the reason, and each of those must still not pass, so that a fix is noticed.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from tests.conformance import harness

REQUIRED = (
    "server-initialize", "ping", "logging-set-level", "completion-complete", "tools-list",
    "tools-call-simple-text", "tools-call-image", "tools-call-audio", "tools-call-embedded-resource",
    "tools-call-mixed-content", "tools-call-with-logging", "tools-call-error", "tools-call-with-progress",
    "json-schema-2020-12", "resources-list", "resources-read-text", "resources-read-binary",
    "resources-templates-read", "prompts-list", "prompts-get-simple", "prompts-get-with-args",
    "prompts-get-embedded-resource", "prompts-get-with-image", "dns-rebinding-protection",
    "tools-call-sampling", "tools-call-elicitation", "elicitation-sep1034-defaults",
    "elicitation-sep1330-enums", "resources-subscribe", "resources-unsubscribe",
    "server-sse-multiple-streams", "server-session-lifecycle", "server-sse-polling",
)  # fmt: skip
#: Required scenarios that only some suites have, and the suite.
ONLY_IN = {"server-session-lifecycle": "0.2.0-alpha.12"}
#: The run of revision 2026-07-28 (stateless requests), and what it requires. Two of these pass
#: with a warning only (the suite's verdict): input-required-result-missing-input-response and
#: -ignore-extra-params, whose tools the fixture does not have yet.
SUITE_2026 = "0.2.0-alpha.12/2026-07-28"
#: The tasks extension's scenarios (SEP-2663), which the 2026-07-28 run runs besides the revision's
#: own (``conformance list`` does not count them): a task lives in the store, so they must pass
#: where the server has one of its own or shares one (``test_tasks_across_processes_sharing_a_store``).
#: ``tasks-status-notifications`` is left out: the suite skips it (pending subscriptions/listen).
TASKS_2026 = (
    "tasks-lifecycle", "tasks-capability-negotiation", "tasks-wire-fields", "tasks-request-state-removal",
    "tasks-mrtr-input", "tasks-request-headers", "tasks-dispatch-and-envelope", "tasks-required-task-error",
    "tasks-mrtr-composition",
)  # fmt: skip
REQUIRED_2026 = (
    "completion-complete", "tools-list", "tools-call-simple-text", "tools-call-image",
    "tools-call-audio", "tools-call-embedded-resource", "tools-call-mixed-content", "tools-call-error",
    "tools-call-with-progress", "server-sse-multiple-streams", "resources-list", "resources-read-text",
    "resources-read-binary", "resources-templates-read", "sep-2164-resource-not-found", "prompts-list",
    "prompts-get-simple", "prompts-get-with-args", "prompts-get-embedded-resource",
    "prompts-get-with-image", "dns-rebinding-protection", "caching", "http-header-validation",
    "input-required-result-missing-input-response", "input-required-result-unsupported-methods",
    "input-required-result-ignore-extra-params", "input-required-result-validate-input",
    "json-schema-2020-12", "http-custom-header-server-validation", "server-stateless",
    "input-required-result-basic-elicitation", "input-required-result-basic-sampling",
    "input-required-result-basic-list-roots", "input-required-result-request-state",
    "input-required-result-multiple-input-requests", "input-required-result-multi-round",
    "input-required-result-non-tool-request", "input-required-result-result-type",
    "input-required-result-tampered-state", "input-required-result-capability-check",
)  # fmt: skip
CONFORMANCE = Path(__file__).resolve().parent / "conformance"
EXPECTED_FAILURES_FILE = CONFORMANCE / "expected-failures.txt"
SUITE_TIMEOUT = 300.0
# `-o DIR` writes DIR/server-<scenario>-<ISO time with - for :>/checks.json per scenario.
RESULT_DIR = re.compile(r"^server-(?P<scenario>.+)-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$")

Check = dict[str, Any]


def expected_failures(path: Path = EXPECTED_FAILURES_FILE) -> dict[str, str]:
    """Scenario -> reason, from ``expected-failures.txt`` (``#`` starts a comment line)."""
    found = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, reason = line.strip().partition(" ")
            found[name] = reason.strip()
    return found


EXPECTED_FAILURES = expected_failures()
EXPECTED_FAILURES_2026 = expected_failures(CONFORMANCE / "expected-failures-2026-07-28.txt")


def required(suite: str) -> tuple[str, ...]:
    return REQUIRED_2026 if suite == SUITE_2026 else REQUIRED


def expected(suite: str) -> dict[str, str]:
    return EXPECTED_FAILURES_2026 if suite == SUITE_2026 else EXPECTED_FAILURES


def verdict(checks: list[Check]) -> str:
    statuses = {c["status"] for c in checks}
    if "FAILURE" in statuses:
        return "failed"
    return "passed" if "SUCCESS" in statuses else "not scored"


def describe(checks: list[Check]) -> str:
    lines = []
    for c in checks:
        if c["status"] in ("FAILURE", "WARNING"):
            message = c.get("errorMessage") or c.get("details", {}).get("message") or ""
            lines.append(f"  {c['status']} {c['id']}: {message}")
    return "\n".join(lines) or "  (no failed or warning checks)"


@pytest.fixture(scope="module", params=sorted(harness.SUITES))
def suite(request: pytest.FixtureRequest) -> tuple[str, Path]:
    """One suite: its version and its entry point (each suite runs against each serving mode)."""
    try:
        harness.node22()
        return request.param, harness.suite_cli(harness.package_version(request.param))
    except harness.UnavailableError as err:
        pytest.skip(str(err))


#: ``wasmtime serve``'s default (a fresh instance per request), instance reuse (one instance answers
#: many requests), and two processes behind a round-robin proxy (so consecutive requests of a
#: session, and a client's answer to a server-to-client request, reach the other process), which
#: share one store directory for the session revisions and share nothing but the configuration
#: (``WACPY_STATE_KEY``) for 2026-07-28: the suite runs against each.
SERVE_MODES: dict[str, tuple[str, ...]] = {
    "fresh": (),
    "reused": ("--max-instance-reuse-count", "1000"),
    "two-processes": (),
}


def serving_mode(mode: str, log_name: str, version: str) -> AbstractContextManager[str]:
    if mode == "two-processes":
        return harness.serve_behind_proxy(log_name, *SERVE_MODES[mode], shared_store=version != SUITE_2026)
    return harness.serve(log_name, *SERVE_MODES[mode])


@pytest.fixture(scope="module", params=sorted(SERVE_MODES))
def mode(request: pytest.FixtureRequest) -> str:
    """How the server runs (``SERVE_MODES``)."""
    return str(request.param)


@pytest.fixture(scope="module")
def results(
    suite: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory, mode: str
) -> Iterator[dict[str, list[Check]]]:
    """Every scenario's checks, from one run of the whole suite against one server."""
    version, cli = suite
    out = tmp_path_factory.mktemp("conformance-results")
    with serving_mode(mode, f"serve-conformance-{version.replace('/', '-')}-{mode}.log", version) as url:
        start = time.monotonic()
        done = subprocess.run(
            [str(harness.node22()), str(cli), "server", "--url", url, *harness.SUITES[version], "-o", str(out)],
            capture_output=True, text=True, timeout=SUITE_TIMEOUT,
        )  # fmt: skip
        elapsed = time.monotonic() - start
    assert "=== SUMMARY ===" in done.stdout, (
        f"the suite did not finish:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    found: dict[str, list[Check]] = {}
    for entry in out.iterdir():
        match = RESULT_DIR.match(entry.name)
        if match and (entry / "checks.json").is_file():
            found[match["scenario"]] = json.loads((entry / "checks.json").read_text())
    summary = {name: verdict(checks) for name, checks in sorted(found.items())}
    print(f"conformance suite: {len(found)} scenarios in {elapsed:.1f} s: {json.dumps(summary, indent=1)}")
    yield found


@pytest.fixture(scope="module")
def suite_scenarios(suite: tuple[str, Path]) -> list[str]:
    """The server scenarios the suite runs as we run it (``conformance list``; with
    ``--requirements R``, those whose revisions include R)."""
    version, cli = suite
    done = subprocess.run(
        [str(harness.node22()), str(cli), "list"], capture_output=True, text=True, timeout=60, check=True
    )
    section = done.stdout.split("Server scenarios", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r"^\s+- (\S+)(?: \[([^\]]*)\])?$", section, flags=re.MULTILINE)
    options = harness.SUITES[version]
    if "--requirements" not in options:
        return [name for name, _ in listed]
    revision = options[options.index("--requirements") + 1]
    return [name for name, revisions in listed if revision in revisions.split(",")]


def test_every_scenario_is_either_required_or_an_expected_failure(
    suite: tuple[str, Path], suite_scenarios: list[str]
) -> None:
    needed, failing = required(suite[0]), expected(suite[0])
    assert not set(needed) & set(failing)
    assert set(needed) - set(ONLY_IN) <= set(suite_scenarios)
    assert set(suite_scenarios) <= {*needed, *failing}, "a new scenario: list it"
    assert all(failing.values()), "every expected failure needs a reason"


def test_every_scenario_ran(results: dict[str, list[Check]], suite_scenarios: list[str]) -> None:
    # with --requirements the suite also runs extension and pending scenarios it does not score
    assert set(suite_scenarios) <= set(results)


@pytest.mark.parametrize("scenario", sorted({*REQUIRED, *REQUIRED_2026}))
def test_required_scenario_passes(
    results: dict[str, list[Check]], suite: tuple[str, Path], scenario: str
) -> None:
    if scenario not in required(suite[0]):
        pytest.skip(f"{scenario} is not required of {suite[0]}")
    if ONLY_IN.get(scenario, suite[0]) != suite[0]:
        pytest.skip(f"{scenario} is a scenario of {ONLY_IN[scenario]} only")
    checks = results.get(scenario)
    assert checks is not None, f"{scenario} did not run"
    assert verdict(checks) == "passed", f"{scenario} {verdict(checks)}:\n{describe(checks)}"


@pytest.mark.parametrize("scenario", sorted({*EXPECTED_FAILURES, *EXPECTED_FAILURES_2026}))
def test_expected_failure_still_does_not_pass(
    results: dict[str, list[Check]], suite: tuple[str, Path], suite_scenarios: list[str], scenario: str
) -> None:
    if scenario not in expected(suite[0]) or scenario not in suite_scenarios:
        pytest.skip(f"{scenario} is not one of this suite's scenarios")
    checks = results.get(scenario)
    assert checks is not None, f"{scenario} did not run"
    assert verdict(checks) != "passed", (
        f"{scenario} passes now: remove it from the suite's expected failures "
        f"(it was listed because: {expected(suite[0])[scenario]})"
    )


@pytest.mark.parametrize("scenario", TASKS_2026)
def test_tasks_scenario_passes(
    results: dict[str, list[Check]], suite: tuple[str, Path], mode: str, scenario: str
) -> None:
    if suite[0] != SUITE_2026:
        pytest.skip("the tasks extension is a 2026-07-28 extension")
    if mode == "two-processes":
        pytest.skip(
            "these processes share no store, where tasks live: see test_tasks_across_processes_sharing_a_store"
        )
    checks = results.get(scenario)
    assert checks is not None, f"{scenario} did not run"
    assert verdict(checks) == "passed", f"{scenario} {verdict(checks)}:\n{describe(checks)}"


@pytest.fixture(scope="module")
def shared_store_url() -> Iterator[str]:
    """Two processes behind the round-robin proxy sharing one store directory."""
    try:
        harness.node22()
    except harness.UnavailableError as err:
        pytest.skip(str(err))
    with harness.serve_behind_proxy("tasks-shared", shared_store=True) as url:
        yield url


@pytest.mark.parametrize("scenario", TASKS_2026)
def test_tasks_across_processes_sharing_a_store(shared_store_url: str, scenario: str, tmp_path: Path) -> None:
    """A task made by one process is read, answered and cancelled through the other (each request
    goes to the next process): the task is in the store, not in either process."""
    cli = harness.suite_cli(harness.package_version(SUITE_2026))
    done = subprocess.run(
        [str(harness.node22()), str(cli), "server", "--url", shared_store_url, "--scenario", scenario, "-o", str(tmp_path)],
        capture_output=True, text=True, timeout=SUITE_TIMEOUT,
    )  # fmt: skip
    entries = [e for e in tmp_path.iterdir() if RESULT_DIR.match(e.name)]
    assert len(entries) == 1, f"{scenario} did not run:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
    checks = json.loads((entries[0] / "checks.json").read_text())
    assert verdict(checks) == "passed", f"{scenario} {verdict(checks)}:\n{describe(checks)}"
