"""A service process imports at start only what it needs to start: the report writers (fpdf alone costs ≈ 0.7 CPU s)
wait until a report is first asked for in their format."""
from __future__ import annotations

import subprocess
import sys


def test_starting_reporting_imports_no_report_writer():
    code = "import sys, services.reporting.bootstrap; print(sorted(m for m in ('fpdf', 'docx', 'fontTools') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.strip() == "[]"
