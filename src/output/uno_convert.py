# gongwen watch --pdf: one LibreOffice kept running, converting each .docx it is sent.
# Started by gongwen with: SOFFICE PROFILE_URL PIPE_NAME. Reads "DOCX<TAB>PDF" lines on stdin,
# answers "ok" or "error MESSAGE" on stdout; stops LibreOffice when stdin closes.
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    soffice, profile, pipe = sys.argv[1:4]
    office = subprocess.Popen(
        [soffice, "-env:UserInstallation=" + profile, "--headless", "--invisible",
         "--norestore", "--nologo", "--accept=pipe,name=%s;urp;" % pipe],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        context = None
        for _ in range(1200):
            try:
                context = resolver.resolve(
                    "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                if office.poll() is not None:
                    break
                time.sleep(0.05)
        if context is None:
            print("error LibreOffice did not start", flush=True)
            return
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context)
        print("ready", flush=True)
        for line in sys.stdin:
            source, target = line.rstrip("\n").split("\t")
            try:
                # Naming the import filter skips LibreOffice's type detection.
                doc = desktop.loadComponentFromURL(
                    uno.systemPathToFileUrl(source), "_blank", 0,
                    (prop("Hidden", True), prop("FilterName", "MS Word 2007 XML")))
                try:
                    doc.storeToURL(uno.systemPathToFileUrl(target),
                                   (prop("FilterName", "writer_pdf_Export"),))
                finally:
                    doc.close(True)
                print("ok", flush=True)
            except Exception as e:
                print("error " + str(e).replace("\n", " "), flush=True)
    finally:
        # soffice is a launcher: asking LibreOffice itself to quit ends the whole tree.
        try:
            if desktop is not None:
                desktop.terminate()
            office.wait(timeout=10)
        except Exception:
            office.terminate()
            office.wait()


main()
