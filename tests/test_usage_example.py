"""The usage example of the generated READMEs (the package's and the
distribution's, the project page on PyPI) and the client's default base URL.

* The example is valid Python for every corpus doc set (``compile()``; its
  OpenAPI export validates too, with the README's servers and security
  schemes), and
  for a few it runs against ``httpx.MockTransport``: the call and its result,
  the call answered 404 (the error handled), and the paged call; the
  petclinic example passes ``mypy --strict``.
* The distribution README starts with install, then the example, then the
  README's authentication, environments and errors, then the definitions.
* ``Client()`` with no arguments but its credentials reaches the base URL the
  docs name (every corpus set that names one, against a recording
  transport); ``environment=`` picks another; where the docs name none, the
  error names the argument.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import openapi_spec_validator
import pytest
from conftest import CORPUS, corpus_sets, imported

from generator.core import generate, load
from generator.diagnostics import Diagnostics
from generator.ir import (
    AnyType,
    Api,
    Enum,
    Example,
    ListOf,
    Location,
    MapOf,
    Method,
    Model,
    Parameter,
    Primitive,
    Ref,
    Service,
    TypeRef,
    Union,
    UnionOf,
)
from generator.render.export import openapi
from generator.render.renderer import Renderer, environment
from generator.render.usage import PLACEHOLDER_URL, choose, usage_example
from generator.settings import DistributionInfo, Settings
from generator.write.package import write_files

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
CLIENT_API = ROOT / "tests" / "fixtures" / "client_api"


def distribution_readme(api: Api, package: str = "sdk") -> str:
    info = DistributionInfo("sdk-client", "1.0.0", "A client.", ">=3.10", "src/sdk")
    sources = Renderer(environment(), api, package).distribution(info)
    return next(s.text for s in sources if s.path == "README.md")


def example_of(readme: str) -> str:
    """The README's Python example (the first ```python block)."""
    found = re.search(r"^(`{3,})python\n(.*?)^\1$", readme, re.MULTILINE | re.DOTALL)
    assert found, readme[:2000]
    return found[2]


# --- every corpus set -----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not corpus_sets(), reason="../shared/corpus is absent")
@pytest.mark.parametrize("name", corpus_sets())
def test_every_corpus_set_example_and_openapi(name: str) -> None:
    """The README example compiles and the README's sections come in order;
    the OpenAPI export (with the README's servers and security schemes)
    validates."""
    api = load([CORPUS / name], Settings(), Diagnostics())
    document = openapi(api, name, "1")
    openapi_spec_validator.validate(document)
    schemes = document["components"].get("securitySchemes", {})
    assert len(schemes) == len({a.kind for a in api.auth})
    readme = distribution_readme(api)
    code = example_of(readme)
    compile(code, f"{name}/README.md", "exec")
    heads = [line for line in readme.splitlines() if line.startswith("## ")]
    assert heads[:2] == ["## Install", "## Use"], heads
    assert heads[-1] == "## Definitions"
    assert {"## Authentication", "## Errors"} <= set(heads)
    assert ("## Environments" in heads) == bool(api.environments)
    first, pages = choose(api)
    if first is not None:
        assert f".{first.method.python_name}(" in code
    if pages is not None and pages.method.paging is not None:
        assert f".{pages.method.paging.iterator}(" in code


# --- the example runs ----------------------------------------------------------


def sample(t: TypeRef | None, api: Api, seen: frozenset[str] = frozenset()) -> Any:
    """A JSON value of type ``t`` with every required key (lists empty)."""
    if t is None or isinstance(t, AnyType):
        return None
    if isinstance(t, Primitive):
        return {"str": "x", "int": 1, "float": 1.5, "bool": True, "bytes": "eA=="}[
            t.name
        ]
    if isinstance(t, ListOf):
        return []
    if isinstance(t, MapOf):
        return {}
    if isinstance(t, UnionOf):
        return sample(t.variants[0], api, seen)
    assert isinstance(t, Ref) and t.target is not None
    d = next(d for d in api.definitions if d.class_name == t.target)
    if isinstance(d, Enum):
        return d.members[0].value if d.members else "x"
    if isinstance(d, Union):
        return sample(d.variants[0], api, seen) if d.variants else {}
    assert isinstance(d, Model)
    if d.class_name in seen:
        return {}
    inner = seen | {d.class_name}
    return {f.wire_key: sample(f.type, api, inner) for f in d.fields if f.required}


def serve(
    api: Api, fail_first: bool
) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A stand-in for the API: each documented method's path answers a sample
    of what it returns (the first request 404 if ``fail_first``); an OAuth
    token request gets a token."""
    seen: list[httpx.Request] = []
    methods = [m for s in api.services for m in s.methods]

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/oauth/token"):
            token = {"access_token": "t", "token_type": "bearer", "expires_in": 600}
            return httpx.Response(200, json=token)
        seen.append(request)
        if fail_first and len(seen) == 1:
            return httpx.Response(404, json={"message": "no such thing"})
        for m in methods:
            pattern = re.sub(r"\\\{[^{}]*\\\}", "[^/]+", re.escape(m.path))
            if m.http_method == request.method and re.search(
                pattern + "$", request.url.path
            ):
                return httpx.Response(200, json=sample(m.returns, api))
        return httpx.Response(200, json={})

    return httpx.MockTransport(answer), seen


RUNS = {
    "petclinic": SPECS,
    "nhl (a documented base URL)": CORPUS / "liblaber__nhl-rest-api-1.00-python-1.0.0",
    "salad (an API key, enums)": CORPUS / "SaladTechnologies__salad-cloud-sdk-python",
    "celitech (OAuth)": CORPUS / "Celitech__CelitechSDKPython",
    "signplus (a token)": CORPUS / "AlohiHQ__signplus-python",
}


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Each doc set of RUNS generated once (into its own folder)."""
    made: dict[str, Path] = {}

    def make(key: str) -> Path:
        if key not in made:
            specs = RUNS[key]
            if not specs.exists():
                pytest.skip(f"{specs} is absent")
            result = generate([specs], package="usage_sdk")
            assert not result.diagnostics.has_errors, result.diagnostics.items
            root = tmp_path_factory.mktemp("usage")
            write_files(root / "usage_sdk", result.files)
            made[key] = root
        return made[key]

    return make


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(RUNS))
@pytest.mark.parametrize("fail_first", [False, True], ids=["answered", "404"])
def test_the_example_runs(
    packages: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
    key: str,
    fail_first: bool,
) -> None:
    root = packages(key)
    api = load([RUNS[key]], Settings(), Diagnostics())
    code = example_of(distribution_readme(api, "usage_sdk"))
    transport, seen = serve(api, fail_first)
    code = code.replace("with Client(", "with Client(transport=TRANSPORT, ", 1)
    with imported(root, "usage_sdk"):
        exec(compile(code, "README.md", "exec"), {"TRANSPORT": transport})
    printed = capsys.readouterr().out.splitlines()
    first, pages = choose(api)
    assert first is not None
    assert len(seen) >= (2 if pages else 1)  # the call, then the pages
    base = api.base_url or PLACEHOLDER_URL
    assert all(str(r.url).startswith(base + "/") for r in seen), seen[0].url
    if fail_first:
        named = any(p.sent_in == "path" for p in first.method.parameters)
        assert printed[0].startswith("not found: 404" if named else "404 ")
    else:
        assert not printed[0].startswith(("404 ", "not found"))
    if api.auth:
        assert all(authenticated(r, api.auth[0].kind) for r in seen)


def authenticated(request: httpx.Request, kind: str) -> bool:
    """Whether the request carries the example's credentials."""
    if kind == "api_key":
        sent = [*request.headers.values(), *request.url.params.values()]
        return "YOUR_API_KEY" in sent
    return request.headers.get("authorization", "").startswith(("Bearer ", "Basic "))


def test_the_petclinic_example_passes_mypy_strict(
    packages: Callable[[str], Path],
) -> None:
    root = packages("petclinic")
    api = load([SPECS], Settings(), Diagnostics())
    example = root / "example.py"
    example.write_text(example_of(distribution_readme(api, "usage_sdk")), "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "example.py"],
        cwd=root, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout


# --- the base URL ----------------------------------------------------------------

CREDENTIALS = {
    "bearer": {"token": "t"},
    "api_key": {"api_key": "k"},
    "basic": {"username": "u", "password": "p"},
    "oauth2": {"client_id": "i", "client_secret": "s", "token_url": "/oauth/token"},
}


def documented_base_urls() -> list[tuple[str, Path]]:
    """The fixtures, and every corpus set whose README names a base URL."""
    found = [("petclinic", SPECS), ("client_api", CLIENT_API)]
    for name in corpus_sets():
        readme = CORPUS / name / "README.md"
        text = readme.read_text("utf-8") if readme.exists() else ""
        if re.search(r"^#+ .*environments\s*$", text, re.IGNORECASE | re.MULTILINE):
            found.append((name, CORPUS / name))
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "specs"),
    documented_base_urls(),
    ids=[n for n, _ in documented_base_urls()],
)
def test_client_reaches_the_documented_base_url(
    tmp_path: Path, name: str, specs: Path
) -> None:
    result = generate([specs], package="based")
    api = result.api
    assert api.base_url, f"{name}: the README names no base URL that docs2py read"
    readme = (specs / "README.md").read_text("utf-8")
    assert api.base_url in readme  # documented, not made up
    write_files(tmp_path / "based", result.files)
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/oauth/token"):
            return httpx.Response(200, json={"access_token": "t", "expires_in": 60})
        return httpx.Response(200, json={})

    credentials: dict[str, str] = {}
    for scheme in api.auth[:1]:
        credentials = CREDENTIALS[scheme.kind]
    with imported(tmp_path, "based") as pkg:
        transport = httpx.MockTransport(record)
        with pkg.Client(**credentials, transport=transport) as client:
            assert client.request("GET", "/probe") == {}
    assert str(seen[-1].url) == api.base_url + "/probe"


ENVIRONMENTS = """# Shop

## Environments

```py
production = "https://api.shop.test/v2"
sandbox = "https://sandbox.shop.test/v2"
```
"""


def test_environment_picks_another_and_without_a_base_url_the_error_names_it(
    tmp_path: Path,
) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(CLIENT_API / "documentation", specs / "documentation")
    (specs / "README.md").write_text(ENVIRONMENTS, "utf-8")
    result = generate([specs], package="shop")
    write_files(tmp_path / "out" / "shop", result.files)
    (specs / "README.md").unlink()
    bare = generate([specs], package="bare")
    write_files(tmp_path / "out" / "bare", bare.files)
    seen: list[str] = []
    transport = httpx.MockTransport(
        lambda r: seen.append(str(r.url)) or httpx.Response(200, json={})
    )
    with imported(tmp_path / "out", "shop") as shop:
        with shop.Client(transport=transport) as client:
            client.request("GET", "/ping")
        sandbox = shop.client.Environment.SANDBOX
        with shop.Client(environment=sandbox, transport=transport) as client:
            client.request("GET", "/ping")
    assert seen == [
        "https://api.shop.test/v2/ping",
        "https://sandbox.shop.test/v2/ping",
    ]
    with imported(tmp_path / "out", "bare") as pkg, pytest.raises(TypeError) as raised:
        pkg.Client()
    assert str(raised.value) == (
        "Client() needs base_url= (the API's docs name no base URL) "
        "or set $BARE_BASE_URL"
    )


def test_hostile_spec_text_stays_data_in_the_example() -> None:
    """Example values, paths and URLs from the docs are literals or one-line
    comments, and the fence is longer than any run of backticks inside."""
    here = Location("hostile.md", 1)
    hostile = 'x"""```\nimport os\r\n```'
    param = Parameter(
        "id", "id", "id", "path", "test", Primitive("str"), True, "", here
    )
    method = Method(
        "get", "get_thing", "GET", "/things/{id}\n```\nimport os\u2028#", "",
        (param,), None, here, examples=(Example("id", hostile, here),),
    )  # fmt: skip
    service = Service("Things", "things", "ThingsService", (method,), here)
    api = Api((), (service,), base_url="https://h.test/\nimport os")
    block = str(usage_example(api, "pkg"))
    fence = re.match("`+", block)
    assert fence and len(fence[0]) > 3 and block.endswith("\n" + fence[0])
    code = block[len(fence[0]) + len("python\n") : -len(fence[0])]
    tree = ast.parse(code)
    assert [type(n).__name__ for n in tree.body] == ["ImportFrom", "ImportFrom", "With"]
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.args)
    assert ast.literal_eval(call.args[0]) == hostile
