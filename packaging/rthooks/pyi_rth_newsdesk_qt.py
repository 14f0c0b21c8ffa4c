"""Run-time hook of the frozen Linux build: tell Qt where its plug-ins are, without importing Qt.

It stands in for PyInstaller's stock PySide6 hook, which imports QtCore (loading
Qt and its ICU data, about 0.15 s of CPU) at every start, even for a command-line
run that never opens a window. PySide6 registers its own relocating qt.conf when
the window first imports it, so the plug-in path is all that is needed here.
"""

import os
import sys

os.environ["QT_PLUGIN_PATH"] = os.path.join(sys._MEIPASS, "PySide6", "Qt", "plugins")
