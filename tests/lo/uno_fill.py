"""Drive LibreOffice through UNO: open a workbook, type into cells as a person would, save as .xlsx.

Runs under the system Python that has LibreOffice's ``uno`` module (``/usr/bin/python3``
with Debian's python3-uno), not under the test environment's Python:

    /usr/bin/python3 tests/lo/uno_fill.py spec.json

The spec names the input, the output, a throw-away profile directory and the operations:

* ``{"sheet", "cell", "how": "type", "text"}`` — select the cell and enter the text through
  the user-interface dispatcher (``.uno:EnterString``), exactly as typing it and pressing
  Enter: LibreOffice's input recognition and its sheet protection both apply;
* ``{"sheet", "cell", "how": "date", "date": [y, m, d]}`` — enter a date as a date value.

Prints one JSON list: each cell's text before and after, and its type (VALUE/TEXT/EMPTY).
"""
import json
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

def main(spec_path):
    spec = json.load(open(spec_path))
    pipe = "itaxl_" + uuid.uuid4().hex
    profile = spec["profile"]
    proc = subprocess.Popen([spec.get("soffice", "soffice"), "--headless", "--invisible", "--norestore", "--nologo",
                             "--nodefault", f"-env:UserInstallation=file://{profile}",
                             f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(300):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"); break
            except Exception:
                time.sleep(0.1)
        else:
            raise SystemExit("LibreOffice did not start")
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        # A fresh profile may still be starting when the pipe answers: the load then returns
        # None ("opened no document"); it succeeds once LibreOffice is ready.
        for _ in range(120):  # up to 30 s: a loaded machine starts a fresh profile slowly
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(spec["input"]), "_blank", 0,
                                               (prop("Hidden", True),))
            if doc is not None:
                break
            time.sleep(0.25)
        else:
            raise SystemExit("LibreOffice opened no document")
        ctrl = doc.getCurrentController()
        frame = ctrl.getFrame()
        results = []
        for op in spec["ops"]:
            sheet = doc.Sheets.getByName(op["sheet"])
            ctrl.setActiveSheet(sheet)
            cell = sheet.getCellRangeByName(op["cell"])
            before = cell.getString()
            if op["how"] == "type":
                ctrl.select(cell)
                dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", op["text"]),))
            elif op["how"] == "date":
                y, m, d = op["date"]
                cell.setFormula(f"=DATE({y};{m};{d})")
                cell.setValue(cell.getValue())  # keep the date serial, drop the formula
            results.append({"sheet": op["sheet"], "cell": op["cell"], "before": before, "after": cell.getString(),
                            "type": cell.getType().value})
        doc.storeToURL(uno.systemPathToFileUrl(spec["output"]), (prop("FilterName", "Calc MS Excel 2007 XML"),))
        # The workbook is saved and complete once storeToURL returns; LibreOffice dying while it
        # closes the document (its bridge disposed, seen after a long test run) changes nothing.
        print(json.dumps(results, ensure_ascii=False), flush=True)
        try:
            doc.close(True)
        except Exception:
            pass
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()

if __name__ == "__main__":
    main(sys.argv[1])
