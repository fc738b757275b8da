"""The package as a user installs it: the wheel's contents, and the commands run from a fresh venv.

The wheel is built with this venv's setuptools (no build isolation, so no
download) and installed with `--no-index --no-deps` into a new venv; numpy and
graphviz, its two dependencies, are lent from this venv through a folder of
links, so the test needs no network and the source tree is never on the path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import graphviz
import numpy
import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300


def run(command: list[str | Path], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def test_import_testing_without_hypothesis_says_which_extra_to_install(tmp_path: Path) -> None:
    code = "import sys; sys.modules['hypothesis'] = None; import micrograd_ko.testing"
    finished = run([sys.executable, "-c", code], cwd=ROOT)
    assert finished.returncode == 1
    last = finished.stderr.strip().splitlines()[-1]
    assert last == 'ImportError: micrograd_ko.testing needs hypothesis: pip install "micrograd_ko[testing]"'


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The wheel built from the source tree, and what the build printed."""
    out = tmp_path_factory.mktemp("wheel")
    source = out / "source"  # a copy, so the build's own files (build/, *.egg-info) stay out of the worktree
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".venv", ".git", "out", "*.egg-info", "build", ".*_cache", "__pycache__"),
    )
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", out, source]
    finished = run(command, cwd=out)
    assert finished.returncode == 0, finished.stderr
    wheels = sorted(out.glob("micrograd_ko-*.whl"))
    assert len(wheels) == 1
    return wheels[0], finished.stdout + finished.stderr


def test_the_build_prints_no_license_deprecation_warning(wheel: tuple[Path, str]) -> None:
    _, printed = wheel
    assert "license" not in printed.lower().replace("license-files", ""), printed


def test_the_wheel_ships_py_typed_the_license_and_the_testing_extra(wheel: tuple[Path, str]) -> None:
    path, _ = wheel
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert "micrograd_ko/py.typed" in names
        assert "micrograd_ko/playground/playground.js" in names  # the widget's and the saved page's ES module
        licenses = [name for name in names if name.endswith(".dist-info/licenses/LICENSE")]
        assert len(licenses) == 1
        text = archive.read(licenses[0]).decode("utf-8")
        assert text.startswith("MIT License") and "Copyright (c) 2026 micrograd_ko contributors" in text
        metadata = archive.read(next(name for name in names if name.endswith(".dist-info/METADATA"))).decode()
    headers = metadata.split("\n\n", 1)[0].splitlines()
    assert "License-Expression: MIT" in headers
    assert "License-File: LICENSE" in headers
    assert "Provides-Extra: testing" in headers
    assert any(h.startswith("Requires-Dist: hypothesis") and 'extra == "testing"' in h for h in headers)
    assert not any(h.startswith("Classifier: License") for h in headers)


@pytest.fixture(scope="module")
def installed(wheel: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with only the wheel installed; numpy and graphviz are linked in from this venv."""
    path, _ = wheel
    home = tmp_path_factory.mktemp("venv")
    venv = home / "venv"
    created = run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=home)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", python, "install", "--no-index", "--no-deps", path]
    finished = run(install, cwd=home)
    assert finished.returncode == 0, finished.stderr
    lent = home / "lent"
    lent.mkdir()
    for module in (numpy, graphviz):
        package = Path(str(module.__file__)).parent
        for item in package.parent.glob(f"{package.name}*"):  # numpy, numpy.libs, their dist-info
            (lent / item.name).symlink_to(item)
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=home)
    (Path(site.stdout.strip()) / "lent.pth").write_text(f"{lent}\n", encoding="utf-8")
    return venv


def test_the_installed_package_is_the_wheel_not_the_source_tree(installed: Path, tmp_path: Path) -> None:
    code = "import micrograd_ko, pathlib; print(pathlib.Path(micrograd_ko.__file__).resolve())"
    finished = run([installed / "bin" / "python", "-c", code], cwd=tmp_path)
    assert finished.returncode == 0, finished.stderr
    location = Path(finished.stdout.strip())
    assert location.is_relative_to(installed.resolve())
    assert (location.parent / "py.typed").exists()


def test_installed_testing_module_without_hypothesis_names_the_extra(installed: Path, tmp_path: Path) -> None:
    finished = run([installed / "bin" / "python", "-c", "import micrograd_ko.testing"], cwd=tmp_path)
    assert finished.returncode == 1
    assert 'pip install "micrograd_ko[testing]"' in finished.stderr


def test_installed_playground_saves_its_page_from_the_packaged_module(installed: Path, tmp_path: Path) -> None:
    code = (
        "from micrograd_ko.playground import Session, save_page; s = Session(); s.step(2); "
        "print(save_page(s, 'run.html').stat().st_size)"
    )
    finished = run([installed / "bin" / "python", "-c", code], cwd=tmp_path)
    assert finished.returncode == 0, finished.stderr
    assert "export default { render }" in (tmp_path / "run.html").read_text(encoding="utf-8")


def test_installed_commands_demo_and_draw_run(installed: Path, tmp_path: Path) -> None:
    command = installed / "bin" / "micrograd-ko"
    demo = run([command, "demo", "--steps", "10", "--out", tmp_path / "out"], cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "10/10" in demo.stdout
    suffix = ".svg" if shutil.which("dot") else ".dot"
    target = tmp_path / f"g{suffix}"
    draw = run([command, "draw", "x*x + 1", "--var", "x=3", "-o", target], cwd=tmp_path)
    assert draw.returncode == 0, draw.stderr
    assert "grad x = 6" in draw.stdout
    assert target.stat().st_size > 0


def test_the_wheel_ships_no_exercise_solutions(wheel: tuple[Path, str]) -> None:
    path, _ = wheel
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert not [name for name in names if name.startswith("exercises/")]
        sources = {name: archive.read(name).decode("utf-8") for name in names if name.endswith(".py")}
    marked = [name for name, text in sources.items() if "\n    ### BEGIN SOLUTION" in text or text.startswith("###")]
    assert not marked, f"solutions in the wheel: {marked}"
    assert "micrograd_ko/exercises/compose.py" in sources  # the checks and the composer do ship


def test_installed_exercises_command_refuses_without_a_checkout(installed: Path, tmp_path: Path) -> None:
    finished = run([installed / "bin" / "micrograd-ko", "exercises", "--key", tmp_path / "key"], cwd=tmp_path)
    assert finished.returncode == 2
    assert "does not ship the solutions" in finished.stderr and finished.stderr.count("\n") == 1
    assert not (tmp_path / "key").exists()
