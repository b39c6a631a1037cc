"""The base URL example calls show, where the README names none
(``infer/base_url.py``): an example URL whose path ends with a documented
endpoint shows what precedes it.  Unit cases, the corpus sets that show one,
and end to end: ``Client()`` with no ``base_url`` reaches the server the
README's example calls name (a real server on 127.0.0.1)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import generate_into, imported
from pytest_httpserver import HTTPServer

from generator.core import load
from generator.diagnostics import Diagnostics
from generator.settings import Settings

SERVICE = """# BooksService

## getList

- HTTP Method: `GET`
- Endpoint: `/lists/{date}/{list}.json`

**Parameters**

| Name | Type   | Required | Description   |
| :--- | :----- | :------- | :------------ |
| date | string | ✅       | The date.     |
| list | string | ✅       | The list.     |

**Return Type**

`Any`

## getItem

- HTTP Method: `GET`
- Endpoint: `/{id}`

**Parameters**

| Name | Type   | Required | Description   |
| :--- | :----- | :------- | :------------ |
| id   | string | ✅       | The item.     |

**Return Type**

`Any`
"""

SHOWN = "https://api.example.com/svc/books/v3"


def _specs(root: Path, readme: str) -> Path:
    specs = root / "specs"
    (specs / "services").mkdir(parents=True)
    (specs / "services" / "BooksService.md").write_text(SERVICE, "utf-8")
    (specs / "README.md").write_text(readme, "utf-8")
    return specs


def _api(tmp_path: Path, readme: str) -> Any:
    diags = Diagnostics()
    api = load([_specs(tmp_path, readme)], Settings(), diags)
    assert not diags.has_errors, diags.items
    return api


def test_an_example_call_shows_the_base_url(tmp_path: Path) -> None:
    readme = (
        "# Books\n\nSome text.\n\n## Example calls\n\n"
        f"`{SHOWN}/lists/current/hardcover-fiction.json?api-key=yourkey`\n"
    )
    api = _api(tmp_path, readme)
    assert api.base_url == SHOWN
    [clue] = api.base_url_evidence
    assert clue.kind == "example" and clue.location.line == 7
    assert clue.text.startswith(SHOWN + "/lists/current/")


def test_the_base_most_examples_agree_on_wins(tmp_path: Path) -> None:
    readme = (
        "http://old.example.com/lists/a/b.json\n"
        f"{SHOWN}/lists/a/b.json and {SHOWN}/lists/c/d.json\n"
    )
    assert _api(tmp_path, readme).base_url == SHOWN


def test_a_tie_goes_to_the_first_written(tmp_path: Path) -> None:
    readme = "http://first.example.com/x/lists/a/b.json\n" + (
        "http://second.example.com/lists/a/b.json\n"
    )
    assert _api(tmp_path, readme).base_url == "http://first.example.com/x"


@pytest.mark.parametrize(
    "readme",
    [
        # a link's target names a page, not a call
        f"See [the lists]({SHOWN}/lists/a/b.json).\n",
        # an endpoint without a literal segment (/{id}) matches any URL
        "https://docs.example.com/guide\n",
        # the literal segments must be equal
        f"{SHOWN}/lists/a/b.xml\n",
        # credentials in a URL make it no base URL
        "https://user:secret@api.example.com/lists/a/b.json\n",
        "ftp://api.example.com/lists/a/b.json\n",
        "https://api.example.com:notaport/lists/a/b.json\n",
    ],
)
def test_urls_that_show_no_base_url(tmp_path: Path, readme: str) -> None:
    api = _api(tmp_path, readme)
    assert api.base_url is None and api.base_url_evidence == ()


def test_only_the_first_distinct_urls_are_read(tmp_path: Path) -> None:
    """The work is bounded by the README's URLs, not by what it repeats: a
    URL seen again costs nothing, and past MAX_URLS distinct ones none is
    read (a README of 20,000 links cannot make a run slow)."""
    from generator.infer.base_url import MAX_URLS

    repeated = f"{SHOWN}/lists/a/b.json\n" * 5
    others = "".join(f"https://docs.example.com/page{i}\n" for i in range(MAX_URLS))
    assert _api(tmp_path / "a", repeated + others).base_url == SHOWN
    late = others + f"{SHOWN}/lists/a/b.json\n"
    assert _api(tmp_path / "b", late).base_url is None


def test_a_base_url_the_readme_names_is_kept(tmp_path: Path) -> None:
    readme = (
        "# Books\n\n## Environments\n\n"
        'production = "https://named.example.com"\n\n'
        f"## Calls\n\n{SHOWN}/lists/a/b.json\n"
    )
    api = _api(tmp_path, readme)
    assert api.base_url == "https://named.example.com"
    assert api.base_url_evidence == ()


def test_the_ir_carries_the_evidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.cli.commands import main

    specs = _specs(tmp_path, f"{SHOWN}/lists/a/b.json\n")
    assert main(["ir", str(specs)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["base_url"] == SHOWN
    [clue] = document["base_url_evidence"]
    assert clue["kind"] == "example" and clue["line"] == 1


def test_client_with_no_base_url_reaches_the_server_the_examples_name(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    base = httpserver.url_for("/svc/v1").rstrip("/")
    specs = _specs(tmp_path, f"Try `{base}/lists/current/fiction.json`.\n")
    generate_into(tmp_path, specs, "booksapi")
    httpserver.expect_request("/svc/v1/lists/2024-01-01/poetry.json").respond_with_json(
        {"ok": True}
    )
    with imported(tmp_path, "booksapi") as module, module.Client() as client:
        assert client.books.get_list("2024-01-01", "poetry") == {"ok": True}


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SHOWN_IN_CORPUS = {
    "liblaber__nyt-books-api-3.0.0-python-1.0.0": (
        "https://api.nytimes.com/svc/books/v3"
    ),
    "liblaber__nyt-most-popular-api-2.0.0-typescript-1.0.0": (
        "https://api.nytimes.com/svc/mostpopular/v2"
    ),
    "liblaber__formula-rest-api-1.0.0-python-1.0.0": "http://ergast.com",
    # its README's URLs are links to pages: no base URL
    "postmanlabs__postman-api-sdk-ts": None,
}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
@pytest.mark.parametrize("name", sorted(SHOWN_IN_CORPUS))
def test_corpus_sets_whose_examples_show_a_base_url(name: str) -> None:
    api = load([CORPUS / name], Settings(), Diagnostics())
    assert api.base_url == SHOWN_IN_CORPUS[name]
