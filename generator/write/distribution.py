"""A distribution around the generated package: where the package sits in its
folder, and whether the metadata asked for (``settings.Distribution``) is valid.

``--distribution DIST`` or ``distribution = "DIST"`` (or a
``[tool.docs2py.distribution]`` table with ``path``, ``name``, ``version``,
``description``, ``requires-python`` and the other ``[project]`` keys of
``settings.PROJECT_KEYS``) asks for one; the package folder (``--out``) must
lie inside DIST (``DIST/PKG`` or ``DIST/src/PKG``).  The metadata is checked
with ``packaging``, the library pip uses, and the ``[project]`` keys against
PEP 621's JSON Schema with ``validate-pyproject`` (classifiers against
``trove-classifiers``, licence expressions against SPDX's list), one key at a
time so that each error names its key.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from ..settings import (
    DEFAULT_REQUIRES_PYTHON,
    DEFAULT_VERSION,
    HTTPX,
    TYPED,
    Distribution,
    DistributionInfo,
)

_WORDS = {
    "array": "a list",
    "string": "a string",
    "table": "a table",
    "pep508": "a requirement (PEP 508, e.g. 'rich>=13')",
    "pep508-identifier": "a name (letters, digits, '-', '_', '.')",
    "trove-classifier": "a classifier that PyPI lists (https://pypi.org/classifiers/)",
    "idn-email": "an e-mail address",
    "url": "a URL",
}
_LICENSE = (
    "must be an SPDX licence expression ('MIT', 'Apache-2.0 OR MIT') or a table "
    "with 'file' or 'text'"
)


def problems(d: Distribution) -> list[tuple[str, str]]:
    """(key, message) for each metadata value that pip would refuse."""
    out: list[tuple[str, str]] = []
    name = None if d.name is None else _name_problem(d.name)
    if name:
        out.append(("name", name))
    if d.version is not None:
        try:
            Version(d.version)
        except InvalidVersion:
            out.append(("version", f"{d.version!r} is not a version (PEP 440)"))
    if d.requires_python is not None:
        try:
            SpecifierSet(d.requires_python)
        except InvalidSpecifier:
            out.append(
                (
                    "requires-python",
                    f"{d.requires_python!r} is not a version specifier (>=3.10)",
                )
            )
    if d.description is not None and len(d.description.splitlines()) > 1:
        out.append(("description", "'description' must be one line (a summary)"))
    return out + project_problems(d.project)


def project_problems(project: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, message) for each ``[project]`` key given that PEP 621 (or PEP
    639, for licences) refuses: each key alone, then all of them together."""
    out: list[tuple[str, str]] = []
    for key, value in project.items():
        found = _license_problem(key, value) or _schema_problem({key: value})
        if found:
            out.append(found)
    if not out and project:
        together = _schema_problem(project) or _license_classifiers(project)
        out += [together] if together else []
    return out


@cache
def _validator() -> Any:
    from validate_pyproject import api

    return api.Validator()


def _schema_problem(project: dict[str, Any]) -> tuple[str, str] | None:
    """The first error of PEP 621's schema for these keys (with a stand-in
    name and version), as (key, message)."""
    from validate_pyproject.errors import ValidationError

    try:
        _validator()({"project": {"name": "x", "version": "0", **project}})
    except ValidationError as exc:
        where = str(exc.name or "project").strip("`").removeprefix("project.")
        key = re.split(r"[.\[]", where, maxsplit=1)[0]
        return key, _message(where, exc)
    return None


def _message(where: str, exc: Any) -> str:
    first = str(exc.summary or exc.message).splitlines()[0].strip().rstrip(":")
    rule = first.replace(f"`project.{where}`", "").strip()
    if where == "license" and exc.rule == "oneOf":
        rule = _LICENSE
    else:
        word = re.search(r"must be ([\w-]+)$", rule)
        if word:
            rule = rule[: word.start(1)] + _WORDS.get(word[1], word[1])
    shown = json.dumps(exc.value, ensure_ascii=False)
    return f"'{where}' {rule} (got {shown})"


def _license_problem(key: str, value: Any) -> tuple[str, str] | None:
    """What SPDX says about a licence expression, and PEP 639's rules for
    the ``license-files`` globs (relative, inside the distribution)."""
    if key == "license" and isinstance(value, str):
        try:
            canonicalize_license_expression(value)
        except InvalidLicenseExpression as exc:
            return key, f"'license' is not an SPDX licence expression: {exc}"
    if key == "license-files" and isinstance(value, list):
        for glob in value:
            parts = PurePosixPath(str(glob)).parts
            if glob.startswith("/") or ".." in parts or "\\" in glob:
                return key, (
                    f"'license-files' globs are relative paths inside the "
                    f"distribution folder, with '/' (got {json.dumps(glob)})"
                )
    return None


def _license_classifiers(project: dict[str, Any]) -> tuple[str, str] | None:
    """PEP 639: a licence expression replaces the ``License ::`` classifiers."""
    classifiers = project.get("classifiers", [])
    old = [c for c in classifiers if c.startswith("License ::")]
    if isinstance(project.get("license"), str) and old:
        return "classifiers", (
            f"'classifiers' has {old[0]!r}: with a licence expression in "
            "'license', leave the License :: classifiers out (PEP 639)"
        )
    return None


def _name_problem(name: str) -> str | None:
    try:
        requirement = Requirement(name)
    except InvalidRequirement:
        requirement = None
    if requirement is None or requirement.name != name:
        return f"{name!r} is not a distribution name (letters, digits, '-', '_', '.')"
    return None


def layout(d: Distribution, out: Path, package: str) -> DistributionInfo:
    """The distribution of ``package`` written to ``out``; ValueError (a usage
    error) if ``out`` is not inside the distribution folder or a value is bad."""
    if d.folder is None:
        raise ValueError(
            "[tool.docs2py.distribution] has no 'path' (the distribution folder): "
            "add one, or pass --distribution DIST"
        )
    folder, package_folder = os.path.realpath(d.folder), os.path.realpath(out)
    inside = os.path.commonpath([folder, package_folder]) == folder
    if not inside or folder == package_folder:
        raise ValueError(
            f"the package folder {out} must be inside the distribution folder "
            f"{d.folder} (as {d.folder}/{package} or {d.folder}/src/{package})"
        )
    name = d.name or package.replace("_", "-")
    if d.name is None and _name_problem(name):
        raise ValueError(
            f"the package name {package!r} is not a distribution name: set one "
            'with name = "…" in [tool.docs2py.distribution]'
        )
    found = problems(d)
    if found:
        raise ValueError(f"distribution {found[0][0]}: {found[0][1]}")
    return _info(d, name, package, Path(os.path.relpath(package_folder, folder)))


def _info(d: Distribution, name: str, package: str, path: Path) -> DistributionInfo:
    """The metadata the templates see: the defaults, the keys given, and
    httpx's requirement (the one ``dependencies`` names, if it names one)."""
    project = dict(d.project)
    given = [str(r) for r in project.pop("dependencies", [])]
    pinned = [r for r in given if canonicalize_name(Requirement(r).name) == "httpx"]
    extras = project.pop("optional-dependencies", {})
    classifiers = [TYPED, *project.pop("classifiers", [])]
    return DistributionInfo(
        name=name,
        version=d.version or DEFAULT_VERSION,
        description=d.description
        or f"Typed models and an httpx client for {package}, generated by docs2py.",
        requires_python=d.requires_python or DEFAULT_REQUIRES_PYTHON,
        package_path=path.as_posix(),
        httpx=pinned[0] if pinned else HTTPX,
        project=project,
        classifiers=tuple(dict.fromkeys(classifiers)),
        dependencies=tuple(r for r in given if r not in pinned),
        optional_dependencies={k: tuple(v) for k, v in extras.items()},
    )
