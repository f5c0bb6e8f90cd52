"""The double-clickable app: build.spec builds, and the binary starts, finds its resources and
its Qt plugins, and answers the same command line as `trellis`.

Marked `app` (a full PyInstaller build): `make test-app` runs it, the default run skips it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.app

REPO = Path(__file__).resolve().parents[2]
PLUGINS = Path("_internal/PySide6/Qt/plugins")


@pytest.fixture(scope="module")
def app_folder(tmp_path_factory) -> Path:
    """dist/Trellis built from build.spec in a temporary folder, so the checkout stays clean."""
    out = tmp_path_factory.mktemp("pyinstaller")
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "build.spec"]
        + ["--distpath", str(out / "dist"), "--workpath", str(out / "build")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    return out / "dist" / "Trellis"


def run_app(folder: Path, *args: str, cwd: Path, platform: str = "offscreen"):
    env = os.environ | {"QT_QPA_PLATFORM": platform}
    return subprocess.run(
        [str(folder / "Trellis"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_without(folder: Path, target: Path, left_out: Path) -> Path:
    """A hard-linked copy of the built app lacking one file: what a broken build would ship."""
    shutil.copytree(folder, target, symlinks=True, copy_function=os.link)
    (target / left_out).unlink()
    return target


def test_build_makes_one_folder_with_the_trellis_binary(app_folder):
    binary = app_folder / "Trellis"
    assert binary.is_file() and os.access(binary, os.X_OK)
    assert (app_folder / PLUGINS / "platforms" / "libqoffscreen.so").is_file()
    assert (app_folder / PLUGINS / "platforms" / "libqxcb.so").is_file()
    assert (app_folder / "_internal/resources/trellis.desktop").is_file()


def test_frozen_smoke_test_passes_headless(app_folder, tmp_path):
    result = run_app(app_folder, "--smoke-test", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Smoke test passed: offscreen platform, 2 clients" in result.stdout
    assert list(tmp_path.iterdir()) == []  # the temporary database went with its folder


def test_frozen_binary_runs_subcommands_like_trellis(app_folder, tmp_path):
    db = tmp_path / "trellis.db"
    demo = run_app(app_folder, "demo", "--db", str(db), cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "Added the sample workspace (2 clients)" in demo.stdout
    check = run_app(app_folder, "check", "--json", "--db", str(db), cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    report = json.loads(check.stdout)
    assert report["ok"] is True
    assert {f["client"] for f in report["findings"]} <= {"Maya Okafor", "Leo Brandt"}


def test_frozen_binary_writes_a_client_report_pdf(app_folder, tmp_path):
    """The report draws with Qt's PDF writer and reads the audit log with orjson: both must
    ship in the folder, not only be importable from source."""
    db, pdf = tmp_path / "trellis.db", tmp_path / "maya.pdf"
    assert run_app(app_folder, "demo", "--db", str(db), cwd=tmp_path).returncode == 0
    report = run_app(
        app_folder,
        "report",
        "--client",
        "Maya Okafor",
        "--to",
        str(pdf),
        "--db",
        str(db),
        cwd=tmp_path,
    )
    assert report.returncode == 0, report.stderr
    words = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert words.startswith("Maya Okafor Client report,")
    assert "Goals Lead a team" in words


def test_frozen_binary_refuses_bad_usage_like_trellis(app_folder, tmp_path):
    result = run_app(
        app_folder, "check", "--client", "Nobody", "--db", str(tmp_path / "t.db"), cwd=tmp_path
    )
    assert result.returncode == 2
    assert result.stderr.startswith("trellis: ")


def test_frozen_smoke_test_fails_clearly_without_its_platform_plugin(app_folder, tmp_path):
    broken = copy_without(
        app_folder, tmp_path / "Trellis", PLUGINS / "platforms" / "libqoffscreen.so"
    )
    result = run_app(broken, "--smoke-test", cwd=tmp_path)
    assert result.returncode == 1  # one sentence and exit 1, not Qt's abort
    assert "the Qt platform plugin 'offscreen' is missing" in result.stderr
    assert str(broken / PLUGINS / "platforms") in result.stderr


def test_frozen_smoke_test_fails_clearly_without_its_icon(app_folder, tmp_path):
    icon = Path("_internal/resources/icons/hicolor/48x48/apps/trellis.png")
    broken = copy_without(app_folder, tmp_path / "Trellis", icon)
    result = run_app(broken, "--smoke-test", cwd=tmp_path)
    assert result.returncode == 1
    assert "1 resource file(s) missing" in result.stderr
    assert str(broken / icon) in result.stderr
