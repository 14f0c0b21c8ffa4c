"""The display check says in one line what is missing, before Qt would abort with its plug-in error."""

from __future__ import annotations

from newsdesk.ui.shell import platform


def test_no_display_on_linux():
    reason = platform.missing_display_reason({}, "linux")
    assert reason and "DISPLAY" in reason and "\n" not in reason


def test_wayland_or_an_explicit_platform_is_left_to_qt():
    assert platform.missing_display_reason({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert platform.missing_display_reason({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None


def test_other_systems_are_not_checked():
    assert platform.missing_display_reason({}, "darwin") is None
    assert platform.missing_display_reason({}, "win32") is None


def test_missing_xcb_libraries_are_named_as_packages(monkeypatch):
    real = platform.ctypes.CDLL

    def without_cursor(name: str, *args, **kwargs):
        if name == "libxcb-cursor.so.0":
            raise OSError(f"{name}: cannot open shared object file")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(platform.ctypes, "CDLL", without_cursor)
    reason = platform.missing_display_reason({"DISPLAY": ":0"}, "linux")
    assert reason is not None and "libxcb-cursor0" in reason and "\n" not in reason


def test_a_complete_system_passes():
    assert platform.missing_xcb_packages() == []
    assert platform.missing_display_reason({"DISPLAY": ":0"}, "linux") is None


def test_the_command_line_prints_the_reason_and_exits(run_cli, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    code, _out, err = run_cli()
    assert code == 2
    assert err.startswith("newsdesk: there is no display") and err.count("\n") == 1
