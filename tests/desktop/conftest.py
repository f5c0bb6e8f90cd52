"""Desktop tests run on Qt's offscreen platform: real widgets, no display needed."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
