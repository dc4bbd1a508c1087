"""The Qt binding itself: Loupe emits a signal per thumbnail and per progress event, so a
binding that leaks or drops references on emit takes the app down within seconds of scrolling.
(PySide6 6.12.0 drops a reference to True on every emit under Python 3.11.)"""

import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Emitter(QObject):
    fired = Signal(int)
emitter = Emitter()
emitter.fired.connect(lambda value: None)
before = sys.getrefcount(True)
for i in range(20000):
    emitter.fired.emit(i)
print(sys.getrefcount(True) - before)
"""


def test_many_signal_emits_keep_reference_counts_intact():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"the Qt binding crashed: {result.stderr[-500:]}"
    assert abs(int(result.stdout.strip())) < 100
