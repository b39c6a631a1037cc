"""``docs2py learn``: samples of real traffic confirm or correct the guesses.

The Fleet API (tests/fixtures/learn_api) and two samples recorded from its
server (a browser's HAR file, a Postman collection); bad samples written
here.  What the client sends is tested in test_learn_e2e.py.
"""

from __future__ import annotations

import base64
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.cli.commands import main
from generator.core import load
from generator.diagnostics import Diagnostics
from generator.ir import Api, Location
from generator.read.learned_file import Fact, Learned, read_learned
from generator.read.sample_json import loads
from generator.settings import Settings
from generator.write.learned_file import render, toml_string

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FIXTURE = Path(__file__).parent / "fixtures" / "learn_api"
HAR = "samples/console.har"
POSTMAN = "samples/fleet.postman_collection.json"
SECRETS = ("fk_live_9f8e7d6c5b4a", "s3cr3t-session", "fk_test_0a1b2c3d")


def project(root: Path, *samples: str, readme: bool = True) -> Path:
    shutil.copytree(FIXTURE / "documentation", root / "documentation")
    specs = '"documentation"'
    if readme:
        shutil.copy(FIXTURE / "README.md", root / "README.md")
        specs += ', "README.md"'
    (root / "samples").mkdir(exist_ok=True)
    for sample in samples:
        if (FIXTURE / sample).exists():
            shutil.copy(FIXTURE / sample, root / sample)
    listed = ", ".join(json.dumps(s) for s in samples)
    config = root / "pyproject.toml"
    config.write_text(
        f'[tool.docs2py]\nspecs = [{specs}]\nout = "out/fleet"\nsamples = [{listed}]\n',
        "utf-8",
    )
    return config


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def explained(capsys: pytest.CaptureFixture[str], config: Path) -> list[dict[str, Any]]:
    code, out, _ = run(capsys, "explain", "--config", str(config), "--format", "json")
    assert code == 0
    return list(json.loads(out)["guesses"])


def api_of(config: Path) -> Api:
    root = config.parent
    settings = Settings(learned_file=root / "docs2py.lock.toml")
    return load([root / "documentation", root / "README.md"], settings, Diagnostics())


@pytest.mark.parametrize("sample", [HAR, POSTMAN])
def test_samples_make_every_covered_decision_right(
    sample: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path, sample)
    before = explained(capsys, config)
    assert {g["status"] for g in before} == {"guess"}
    code, out, err = run(capsys, "learn", "--config", str(config), "--write")
    assert code == 0, err
    assert "learned file: wrote" in out
    after = explained(capsys, config)
    remaining = [g for g in after if g["status"] == "guess"]
    fixed = [g for g in after if g["status"] in ("confirmed", "corrected")]
    assert len(before) - len(remaining) == len(fixed) > 0  # falls by exactly those
    assert {(g["kind"], g["target"]) for g in fixed} <= {
        (g["kind"], g["target"]) for g in before
    }
    corrected = {g["target"]: (g["guessed"], g["value"]) for g in after
                 if g["status"] == "corrected"}  # fmt: skip
    assert corrected["Package.dataLimitInGb"] == ("dataLimitInGb", "dataLimitInGB")
    assert corrected["DevicesService.uploadFirmware"] == ("json", "multipart")
    assert corrected["PackagesService.listPackages.clientVersion"] == (
        "query",
        "header",
    )
    assert corrected["api_key"] == ("header X-API-Key", "header X-Fleet-Key")
    api = api_of(config)
    keys = {f"{m.name}.{f.name}": f.wire_key for m in api.models for f in m.fields}
    assert keys["Device.deviceId"] == "device_id"  # snake_case in a camelCase API
    assert keys["NewPackage.dataLimitInGb"] == "dataLimitInGB"
    params = {p.name: p for s in api.services for m in s.methods for p in m.parameters}
    assert (params["pageSize"].sent_in, params["pageSize"].wire_name) == (
        "query", "PageSize",
    )  # fmt: skip
    assert params["regionCode"].wire_name == "RegionCode"
    assert params["clientVersion"].wire_name == "Client-Version"
    assert (params["ids"].style, params["ids"].explode) == ("form", False)
    assert params["ids"].style_source == "sample"
    evidence = params["pageSize"].name_evidence[0]
    assert evidence.kind == "sample" and evidence.location is not None
    assert evidence.location.path.endswith(sample)
    assert api.auth[0].name == "X-Fleet-Key" and api.auth[0].source == "sample"


def test_learn_reports_only_without_write_and_a_second_write_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path, HAR, POSTMAN)
    lock = tmp_path / "docs2py.lock.toml"
    code, out, _ = run(capsys, "learn", "--config", str(config))
    assert code == 0 and not lock.exists()
    assert "would write (run with --write)" in out
    assert (
        "corrected key Package.dataLimitInGb: 'dataLimitInGb' -> 'dataLimitInGB'" in out
    )
    assert run(capsys, "learn", "--config", str(config), "--write")[0] == 0
    first = lock.read_bytes()
    stamp = lock.stat().st_mtime_ns
    code, out, _ = run(capsys, "learn", "--config", str(config), "--write")
    assert code == 0 and "learned file: unchanged" in out
    assert lock.read_bytes() == first and lock.stat().st_mtime_ns == stamp
    data = tomllib.loads(first.decode())
    assert data["keys"]["Package.dataLimitInGb"]["key"] == "dataLimitInGB"
    assert data["keys"]["Package.dataLimitInGb"]["seen"] == f"{HAR}:101"
    assert data["enum-values"]["PackageStatus"]["value"] == "retired"
    assert data["host"] == "api.fleet.example"
    # learning from one file again keeps what the other taught
    assert run(capsys, "learn", str(tmp_path / HAR), "--config", str(config),
               "--write")[0] == 0  # fmt: skip
    assert lock.read_bytes() == first


def test_secrets_never_reach_the_learned_file_or_any_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path, HAR, POSTMAN)
    outputs = [run(capsys, "learn", "--config", str(config), "--write")]
    outputs.append(run(capsys, "learn", "--config", str(config), "--format", "json"))
    outputs.append(run(capsys, "explain", "--config", str(config)))
    outputs.append(run(capsys, "ir", "--config", str(config)))
    report = tmp_path / "report.json"
    outputs.append(run(capsys, "generate", "--config", str(config), "--no-cache",
                       "--report", str(report)))  # fmt: skip
    texts = [out + err for _, out, err in outputs]
    texts += [(tmp_path / "docs2py.lock.toml").read_text("utf-8")]
    texts += [report.read_text("utf-8")]
    texts += [p.read_text("utf-8") for p in (tmp_path / "out").rglob("*.py")]
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def test_generate_reads_the_learned_file_and_its_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path, HAR)
    cache = tmp_path / "cache"
    gen = ["generate", "--config", str(config), "--cache-dir", str(cache)]
    assert run(capsys, *gen)[0] == 0
    package = (tmp_path / "out" / "fleet" / "models" / "package.py").read_text()
    assert "dataLimitInGB" not in package
    assert run(capsys, "learn", "--config", str(config), "--write")[0] == 0
    code, _, err = run(capsys, *gen)
    assert code == 0 and "up to date" not in err
    assert "samples (the learned file): 5 confirmed, 6 corrected, 6 overruled" in err
    assert "guesses:" not in err  # none left
    package = (tmp_path / "out" / "fleet" / "models" / "package.py").read_text()
    assert '"data_limit_in_gb": "dataLimitInGB"' in package
    status = (tmp_path / "out" / "fleet" / "models" / "package_status.py").read_text()
    assert '"retired"' in status  # an enum value the docs lack
    assert "up to date" in run(capsys, *gen)[2]
    lock = tmp_path / "docs2py.lock.toml"
    lock.write_text(lock.read_text().replace('"dataLimitInGB"', '"dataLimitGB"'))
    code, _, err = run(capsys, *gen)
    assert code == 0 and "up to date" not in err
    package = (tmp_path / "out" / "fleet" / "models" / "package.py").read_text()
    assert '"dataLimitGB"' in package


def _har(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {"log": {"version": "1.2", "creator": {"name": "t", "version": "1"},
                    "entries": entries}}  # fmt: skip


def _entry(url: str, body: str, mime: str = "application/json", **more: Any) -> Any:
    return {
        "startedDateTime": "2024-05-02T09:14:03.120Z", "time": 1, "cache": {},
        "timings": {"send": 0, "wait": 1, "receive": 0},
        "request": {"method": "GET", "url": url, "httpVersion": "HTTP/1.1",
                    "cookies": [],
                    "headers": [{"name": "X-Fleet-Key", "value": SECRETS[0]}],
                    "queryString": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
                     "cookies": [], "headers": [], "redirectURL": "", "headersSize": -1,
                     "bodySize": len(body),
                     "content": {"size": len(body), "mimeType": mime, "text": body}
                     | more},
    }  # fmt: skip


DEVICES = "https://api.fleet.example/v2/devices"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("cut.har", json.dumps(_har([_entry(DEVICES, "[]")]), indent=1)[:-40],
         "cut.har:{n}: error: not valid JSON: "),
        ("binary.har", b"\x89PNG\r\n\x1a\n\x00\x00\xff",
         "binary.har: error: a binary file"),
        ("bad.har", json.dumps(_har([{"request": {"url": 5, "headers": SECRETS[0]}}])),
         "bad.har:1: error: not a valid HAR 1.2 file: log.entries[0]: "),
        ("other.json", '{"hello": "world"}', "other.json:1: error: not a HAR file, a "
         "Postman collection, or a JSON body named SERVICE.METHOD.json"),
    ],
)  # fmt: skip
def test_bad_samples_are_errors_and_change_nothing(
    name: str, text: str | bytes, expected: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    config = project(tmp_path, HAR, f"samples/{name}")
    path = tmp_path / "samples" / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    code, out, err = run(capsys, "learn", "--config", str(config), "--write")
    assert code == 1
    lines = text.count("\n") + 1 if isinstance(text, str) else 0
    assert expected.format(n=lines) in err, err
    assert "Traceback" not in err and SECRETS[0] not in err + out
    assert not (tmp_path / "docs2py.lock.toml").exists()
    assert "not written: the samples have errors" in out


def test_other_hosts_large_and_binary_bodies_are_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = json.dumps([{"device_id": "x" * 1000}] * 11000)
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(256))).decode()
    entries = [
        _entry("https://evil.example/v2/devices", '[{"evil_key": 1}]'),
        _entry(DEVICES, big),
        _entry(DEVICES, png, "image/png", encoding="base64"),
        _entry(DEVICES, '[{"device_id": "d", "serial_number": "s"}]'),
    ]
    config = project(tmp_path, "samples/mixed.har")
    (tmp_path / "samples" / "mixed.har").write_text(json.dumps(_har(entries), indent=2))
    code, out, err = run(capsys, "learn", "--config", str(config), "--write")
    assert code == 0, err
    assert "mixed.har:9: warning: 1 entries from evil.example skipped: the " \
        "API's host is api.fleet.example" in err  # fmt: skip
    assert "warning: the response body (10" in err and "skipped" in err
    assert "answered with a binary body, where the docs return JSON" in err
    lock = tomllib.loads((tmp_path / "docs2py.lock.toml").read_text())
    assert lock["keys"]["Device.deviceId"]["key"] == "device_id"
    assert "evil" not in json.dumps(lock)


def test_contradictions_name_the_sample_and_the_docs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path, "samples/PackagesService.getPackage.response.json")
    body = (
        '{\n  "id": 5,\n  "nme": "x",\n  "dataLimitInGB": 1,\n  "status": "active"\n}\n'
    )
    (tmp_path / "samples" / "PackagesService.getPackage.response.json").write_text(body)
    code, _, err = run(capsys, "learn", "--config", str(config))
    assert code == 0
    sample = "samples/PackagesService.getPackage.response.json"
    assert f"{sample}:2: warning: Package.id is a number in the sample, the docs say " \
        "a string (" in err  # fmt: skip
    assert f"{sample}:3: warning: 'nme' is no property of Package (" in err
    assert (
        f"{sample}:1: warning: the required property Package.name is missing (" in err
    )
    assert "documentation/models/Package.md:1)" in err


def test_samples_named_after_nothing_in_the_docs_are_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path, "samples/NopeService.nope.json")
    (tmp_path / "samples" / "NopeService.nope.json").write_text("{}")
    code, _, err = run(capsys, "learn", "--config", str(config))
    assert code == 0
    assert "NopeService.nope.json:1: warning: no method 'nope' in a service " \
        "'NopeService'" in err  # fmt: skip


def test_without_a_documented_host_the_learned_one_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path, HAR, "samples/other.har", readme=False)
    other = _har([_entry("https://elsewhere.example/v2/devices", '[{"x": 1}]')])
    (tmp_path / "samples" / "other.har").write_text(json.dumps(other))
    code, _, err = run(capsys, "learn", "--config", str(config), "--write")
    assert code == 0
    assert "entries from elsewhere.example skipped: the API's host is " \
        "api.fleet.example" in err  # fmt: skip
    assert 'host = "api.fleet.example"' in (tmp_path / "docs2py.lock.toml").read_text()
    code, _, err = run(capsys, "learn", str(tmp_path / "samples/other.har"),
                       "--config", str(config))  # fmt: skip
    assert "entries from elsewhere.example skipped" in err


def test_an_override_outranks_samples_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path, HAR)
    assert run(capsys, "learn", "--config", str(config), "--write")[0] == 0
    with config.open("a") as f:
        f.write('wire-key-overrides = { Package = { dataLimitInGb = "limitGb" } }\n')
    code, out, err = run(capsys, "ir", "--config", str(config))
    document = json.loads(out)
    package = next(d for d in document["definitions"] if d["name"] == "Package")
    assert (
        next(f for f in package["fields"] if f["name"] == "dataLimitInGb")["wire_key"]
        == "limitGb"
    )
    assert "docs2py.lock.toml:" in err and "the override of Package.dataLimitInGb " \
        "says 'limitGb', but the samples sent 'dataLimitInGB'" in err  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("version = 2\n", "docs2py.lock.toml:1: error: 'version' must be 1"),
        ("version = 1\n[keyz]\n", "docs2py.lock.toml:2: error: unknown key 'keyz'"),
        ('version = 1\n[keys]\n"A.b" = { key = "x" }\n',
         "docs2py.lock.toml:3: error: [keys] 'A.b' must be { key = "),
        ("version = 1\n[keys\n", "docs2py.lock.toml: error: not valid TOML"),
    ],
)  # fmt: skip
def test_a_broken_learned_file_is_an_error_at_its_line(
    text: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path)
    (tmp_path / "docs2py.lock.toml").write_text(text)
    code, _, err = run(capsys, "generate", "--config", str(config), "--no-cache")
    assert code == 1 and expected in err and "Traceback" not in err


def test_facts_about_nothing_are_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path)
    (tmp_path / "docs2py.lock.toml").write_text(
        'version = 1\n[keys]\n"Gone.field" = { key = "x", seen = "a.har:3" }\n'
    )
    _, _, err = run(capsys, "explain", "--config", str(config))
    assert "docs2py.lock.toml:3: warning: learned [keys] 'Gone.field', which " in err


def test_json_lines_of_objects_and_keys() -> None:
    doc = loads('{\n "a": 1,\n "b": {\n  "c": [1, {"d": 2}]\n },\n "e": {}\n}')
    assert (doc.line, doc.key_lines) == (1, {"a": 2, "b": 3, "e": 6})
    assert doc["b"]["c"][1].line == 4 and doc["e"].line == 6
    assert loads('{"x": {"y": 1}}', flat=7)["x"].line == 7


@given(st.text())
def test_toml_strings_read_back(text: str) -> None:
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["keys", "parameters", "bodies", "enum-values", "nullable"]
            ),
            st.text(min_size=1, max_size=12),
            st.text(min_size=1, max_size=12),
            st.integers(1, 10_000),
        ),
        max_size=8,
    )
)
def test_learned_files_read_back_as_written(
    rows: list[tuple[str, str, str, int]],
) -> None:
    facts = {
        Fact(s, t, "" if s == "nullable" else v, Location("samples/a.har", n))
        for s, t, v, n in rows
    }
    unique = {(f.section, f.target): f for f in sorted(facts)}
    chosen = {f for f in facts if f.section == "enum-values"} | set(unique.values())
    learned = Learned(tuple(sorted(chosen)), "api.example.test")
    text = render(learned)
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "docs2py.lock.toml"
        path.write_text(text, "utf-8")
        diags = Diagnostics()
        back = read_learned(path, diags)
    assert back is not None and not diags.has_errors, diags.items
    assert back.facts == learned.facts and back.host == learned.host
    assert render(back) == text


def test_http2_header_names_are_learned_as_sent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """HTTP/2 writes every header name in lower case (header names ignore
    case); its pseudo-headers (``:authority``) are no parameters."""
    entry = _entry("https://api.fleet.example/v2/packages", '{"items": []}')
    entry["request"]["httpVersion"] = "h2"
    entry["request"]["headers"] = [
        {"name": ":authority", "value": "api.fleet.example"},
        {"name": "client-version", "value": "1"},
        {"name": "x-fleet-key", "value": SECRETS[0]},
    ]
    config = project(tmp_path, "samples/h2.har")
    (tmp_path / "samples" / "h2.har").write_text(json.dumps(_har([entry])))
    assert run(capsys, "learn", "--config", str(config), "--write")[0] == 0
    lock = tomllib.loads((tmp_path / "docs2py.lock.toml").read_text())
    sent = lock["parameters"]["PackagesService.listPackages.clientVersion"]["sent"]
    assert sent == "header:client-version"
    assert lock["auth"]["api-key"]["sent"] == "header:x-fleet-key"
