"""`trellis --smoke-test` from source: passes on a working install, names what is broken."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.smoke import requested_platforms

REPO = Path(__file__).resolve().parents[2]


def smoke(tmp_path: Path, platform: str = "offscreen"):
    """Run the real command with a home of its own, so any stray write would show up there."""
    home = tmp_path / "home"
    env = os.environ | {
        "QT_QPA_PLATFORM": platform,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    home.mkdir()
    return subprocess.run(
        [sys.executable, "-m", "cli", "--smoke-test"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_smoke_test_opens_the_sample_workspace_and_passes(tmp_path):
    result = smoke(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Smoke test passed: offscreen platform, 2 clients" in result.stdout
    assert ", 0 errors" in result.stdout


def test_smoke_test_leaves_settings_and_data_folders_untouched(tmp_path):
    result = smoke(tmp_path)
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "home").rglob("*")) == []


def test_smoke_test_names_a_missing_platform_plugin_instead_of_aborting(tmp_path):
    result = smoke(tmp_path, platform="nosuchplatform")
    assert result.returncode == 1  # a clean failure, not Qt's abort (-6)
    assert "smoke test failed: the Qt platform plugin 'nosuchplatform' is missing" in result.stderr
    assert result.stdout == ""


def test_platform_list_reads_fallbacks_and_drops_plugin_options(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "wayland;xcb:dpi=96")
    assert requested_platforms() == ["wayland", "xcb"]
