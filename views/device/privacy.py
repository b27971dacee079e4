"""Screen privacy: FLAG_SECURE on Android, and a plain cover while the app is not in front.

FLAG_SECURE keeps the window out of screenshots, screen recordings, casting and the recent-apps
thumbnail. Flet has no option for it, so it is set once at start through pyjnius on the
activity that ``flet build`` names in ``MAIN_ACTIVITY_HOST_CLASS_NAME``, on the UI thread
(``runOnUiThread``; window flags may only change there). Only a device proves it took effect:
here every step is checked against a stand-in for pyjnius.

The cover is a full-screen plain overlay (the app's name and a shield, nothing else) shown
when the app becomes inactive or hidden (iOS takes its app-switcher snapshot then) and removed
when it is back. Locking when hidden is separate (``AppState.on_lifecycle``) and stays.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from typing import Any

import flet as ft

from fieldapp.device import DeviceStatus

log = logging.getLogger(__name__)

ANDROID = {ft.PagePlatform.ANDROID, ft.PagePlatform.ANDROID_TV}
COVER_STATES = {"inactive", "hide", "pause"}
UNCOVER_STATES = {"resume", "show"}
_KEEP: list[Any] = []  # pyjnius: a Python Runnable must outlive the Java call that runs it


def secure_window(page: ft.Page, *, environ: Mapping[str, str] = os.environ,
                  jnius: Any = None) -> DeviceStatus:
    """Ask Android to treat the window as secure. UNAVAILABLE off Android or without pyjnius."""
    if page.web or page.platform not in ANDROID:
        return DeviceStatus.UNAVAILABLE
    host = environ.get("MAIN_ACTIVITY_HOST_CLASS_NAME")
    if jnius is None:
        try:
            import jnius as android  # noqa: PLC0415 - pyjnius exists only in Android builds
        except ImportError:
            log.warning("FLAG_SECURE not set: pyjnius is missing from this build")
            return DeviceStatus.UNAVAILABLE
        jnius = android
    if not host:
        log.warning("FLAG_SECURE not set: the activity is not named")
        return DeviceStatus.UNAVAILABLE
    try:
        activity = jnius.autoclass(host).mActivity
        flag = jnius.autoclass("android.view.WindowManager$LayoutParams").FLAG_SECURE
        runnable = _runnable(jnius, lambda: activity.getWindow().setFlags(flag, flag))
        _KEEP.append(runnable)
        activity.runOnUiThread(runnable)
    except Exception as exc:
        log.warning("FLAG_SECURE not set: %s", type(exc).__name__)
        return DeviceStatus.FAILED
    return DeviceStatus.OK


def _runnable(jnius: Any, action: Callable[[], object]) -> object:
    # pyjnius has no type information: its Java proxy base and method decorator are Any
    class UiAction(jnius.PythonJavaClass):  # type: ignore[misc]
        __javainterfaces__ = ["java/lang/Runnable"]
        __javacontext__ = "app"

        @jnius.java_method("()V")  # type: ignore[untyped-decorator]
        def run(self) -> None:
            try:
                action()
            except Exception as exc:  # on the UI thread: never let it crash the app
                log.warning("FLAG_SECURE failed on the UI thread: %s", type(exc).__name__)

    return UiAction()


class PrivacyCover:
    """A plain full-screen overlay while the app is not in front."""

    def __init__(self, page: ft.Page, title: str, *, cover_inactive: bool = True):
        self.page = page
        self.cover_inactive = cover_inactive  # phones: the app switcher; browsers: only hidden
        self.control = ft.Container(
            left=0, top=0, right=0, bottom=0, visible=False, bgcolor=ft.Colors.SURFACE,
            alignment=ft.Alignment.CENTER,
            content=ft.Semantics(identifier="privacy-cover", label=title, content=ft.Column(
                [ft.Icon(ft.Icons.SHIELD, size=64, color=ft.Colors.PRIMARY),
                 ft.Text(title, size=24, weight=ft.FontWeight.W_600)],
                alignment=ft.MainAxisAlignment.CENTER,
                horizontal_alignment=ft.CrossAxisAlignment.CENTER, tight=True)))
        page.overlay.append(self.control)

    @property
    def shown(self) -> bool:
        return bool(self.control.visible)

    def on_lifecycle(self, state: str) -> None:
        if state in COVER_STATES and (state != "inactive" or self.cover_inactive):
            self._show(True)
        elif state in UNCOVER_STATES:
            self._show(False)

    def _show(self, shown: bool) -> None:
        if self.control.visible == shown:
            return
        self.control.visible = shown
        try:
            self.page.update()
        except Exception as exc:  # the session is closing
            log.info("privacy cover not updated: %s", type(exc).__name__)
