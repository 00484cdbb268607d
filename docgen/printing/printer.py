"""Send a PDF to a CUPS printer with ``lp``."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from docgen.errors import PrintError
from docgen.i18n import Msg

JOB_ID = re.compile(r"request id is (\S+)")
LP_TIMEOUT = 60.0


def _cups_missing(pdf: Path) -> PrintError:
    return PrintError(
        Msg(f"không có CUPS (lệnh lp): chưa in; tệp PDF vẫn ở {pdf}",
            f"CUPS (the lp command) is not available: nothing printed; the PDF is at {pdf}"),
        file=str(pdf),
        hint=Msg("cài CUPS: sudo apt-get install cups cups-client, rồi in lại tệp PDF",
                 "install CUPS: sudo apt-get install cups cups-client, then print the PDF again"),
    )


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False, timeout=LP_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise PrintError(Msg(f"{args[0]} không trả lời sau {LP_TIMEOUT:g} giây",
                             f"{args[0]} did not answer within {LP_TIMEOUT:g} s"),
                         hint=Msg("kiểm tra dịch vụ CUPS: lpstat -t",
                                  "check the CUPS service: lpstat -t")) from exc


def _check_printer(pdf: Path, printer: str) -> None:
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        raise _cups_missing(pdf)
    probe = _run([lpstat, "-p", printer])
    if probe.returncode == 0:
        return
    detail = (probe.stderr or probe.stdout).strip()
    if "scheduler" in detail.lower():
        raise PrintError(
            Msg(f"dịch vụ in CUPS chưa chạy: chưa in; tệp PDF vẫn ở {pdf}",
                f"the CUPS scheduler is not running: nothing printed; the PDF is at {pdf}"),
            file=str(pdf),
            hint=Msg("khởi động CUPS: sudo service cups start", "start CUPS: sudo service cups start"))
    raise PrintError(
        Msg(f"không có máy in '{printer}' ({detail}); tệp PDF vẫn ở {pdf}",
            f"there is no printer '{printer}' ({detail}); the PDF is at {pdf}"),
        file=str(pdf), field="--printer",
        hint=Msg("xem danh sách máy in: lpstat -p", "list the printers: lpstat -p"))


def send_to_printer(pdf: Path, printer: str) -> str:
    """Queue ``pdf`` on CUPS printer ``printer``; the job id (e.g. "docgen-test-3")."""
    lp = shutil.which("lp")
    if lp is None:
        raise _cups_missing(pdf)
    _check_printer(pdf, printer)
    done = _run([lp, "-d", printer, "-t", pdf.name, str(pdf)])
    match = JOB_ID.search(done.stdout)
    if done.returncode != 0 or match is None:
        detail = (done.stderr or done.stdout).strip()
        raise PrintError(Msg(f"lp không nhận lệnh in: {detail}; tệp PDF vẫn ở {pdf}",
                             f"lp refused the job: {detail}; the PDF is at {pdf}"),
                         file=str(pdf), hint=Msg("kiểm tra máy in: lpstat -p -d",
                                                 "check the printer: lpstat -p -d"))
    return match.group(1)
