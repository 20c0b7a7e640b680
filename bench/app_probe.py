"""The desktop app under measurement: `DesktopApp` with real widgets (offscreen), run as its own process.

    python -m bench.app_probe PROFILE_DIR sync|cold   (password on the first line of stdin)

Both modes start like `python -m desktop.ui` (QApplication, language, theme, `DesktopApp`), then
type the password into the login window and press Inloggen. Events go to stdout as JSON lines,
with `time.perf_counter()` stamps (CLOCK_MONOTONIC: comparable with the runner's clock).

cold: `painted` when the My Cases table has drawn its first rows (the first Paint of its viewport
      with rows, stamped once that paint has been handled), then `full_list` when the whole list is
      in the model and the viewport has painted after that; then quit.
sync: (run with an empty cache) a 2 ms timer in the GUI thread records the gaps between its ticks
      from the main window until the first sync has finished and the views have refreshed:
      `sync_done` {max_gap_ms, worst gaps, VmHWM}. Then `filter` {samples_ms, kinds}: keystrokes in
      the My Cases filter, each timed until the table viewport painted the new result; `kinds` says
      which kind each was (`FilterRun`). Then `ready`, and every task that appears in the Werkbak is
      reported as `task_seen` {id, t}, until `quit` on stdin. Nothing of the probe's own runs after
      `ready` (no timer, no thread awake but the one blocked reading stdin): the runner measures the
      app's idle cost from /proc meanwhile.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time
from pathlib import Path

STARTED = time.perf_counter()

from desktop import preload  # noqa: E402

preload.start()  # as the app's entry points do, before Qt is imported

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.common import vm_hwm_mb  # noqa: E402

STALL_TICK_MS = 2
SETTLE_AFTER_SYNC_MS = 600  # after the sync finished and every list has been read again since
# Words with distinct first letters: each first letter on an empty filter scans every row (no
# earlier result to narrow). The first five are erased letter by letter (answered from the recent
# results), the last three cleared at once (select all, Delete: the whole list again).
FILTER_WORDS = ("proef", "berg", "jeugd", "van de", "2", "kamp", "oost", "zorg")
FILTER_CLEARED = 3


def emit(event: str, **fields) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


class PaintWatch(QObject):
    """Calls `on_painted()` once the My Cases table viewport has painted while `armed()` says so."""

    def __init__(self, app_controller, armed, on_painted) -> None:
        super().__init__()
        self.controller, self.armed, self.on_painted = app_controller, armed, on_painted

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            page = getattr(self.controller.desk.pages, "my_cases_page", None) if self.controller.desk else None
            if page is not None and obj is page.table.viewport() and self.armed():
                QTimer.singleShot(0, self.on_painted)  # stamped after this paint was handled
        return False


class StallMeter(QObject):
    """The longest gap between ticks of a 2 ms timer in the GUI thread: how long the loop was blocked."""

    def __init__(self) -> None:
        super().__init__()
        self.gaps: list[float] = []
        self.ends: list[float] = []  # when each gap ended, seconds after start()
        self._last = None
        self.started = 0.0
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(STALL_TICK_MS)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = self.started = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._tick()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self.ends.append(now - self.started)
        self._last = now

    def worst(self, n: int = 5) -> list[tuple[float, float]]:
        """The n longest gaps as (ms, seconds after start when the gap ended)."""
        return sorted(zip(self.gaps, self.ends), reverse=True)[:n]


class StallSampler:
    """Where the GUI thread is while it is stalled: a watcher thread samples its stack whenever the
    StallMeter has not ticked for `threshold_ms`. The watcher needs the interpreter lock too, so a
    sample shows where the GUI thread was running Python or waiting for the lock, not C work that
    holds it (the garbage collector, see GcPauses)."""

    def __init__(self, meter: StallMeter, threshold_ms: float = 30.0, every_ms: float = 5.0) -> None:
        self.meter, self.threshold, self.every = meter, threshold_ms / 1000, every_ms / 1000
        self.counts: dict[str, int] = {}
        self._stop = threading.Event()
        self._main = threading.main_thread().ident

    def start(self) -> None:
        threading.Thread(target=self._watch, name="stall-sampler", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        import traceback

        while not self._stop.wait(self.every):
            last = self.meter._last
            if last is None or time.perf_counter() - last < self.threshold:
                continue
            frame = sys._current_frames().get(self._main)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)[-6:]
            key = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(stack))
            self.counts[key] = self.counts.get(key, 0) + 1

    def summary(self, n: int = 6) -> list[tuple[int, str]]:
        """The n stacks seen most often during stalls, with their sample counts (~5 ms each)."""
        return sorted(((count, key) for key, count in self.counts.items()), reverse=True)[:n]


class SlowEvents(QObject):
    """Which Qt events took long in the GUI thread (BENCH_SLOW_EVENTS=1; it costs a Python call per
    event, so the stall numbers of such a run are not for the record): the gap after an event
    reached the app's event filter is how long its delivery (and anything nested in it) took."""

    def __init__(self, threshold_ms: float = 30.0) -> None:
        super().__init__()
        self.threshold = threshold_ms / 1000
        self.slow: list[tuple[float, str]] = []
        self._last = (time.perf_counter(), "")
        self.origin = time.perf_counter()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        now = time.perf_counter()
        then, what = self._last
        if now - then > self.threshold:
            self.slow.append(((now - then) * 1000, f"{what} at {then - self.origin:.2f} s"))
        self._last = (now, f"{event.type().name} → {type(obj).__name__}")
        return False

    def summary(self, n: int = 8) -> list[tuple[float, str]]:
        return sorted(self.slow, reverse=True)[:n]


class GcPauses:
    """Durations of the garbage collector's runs (any thread; they hold the GIL, so the GUI waits)."""

    def __init__(self) -> None:
        self.pauses: list[tuple[int, float]] = []  # (generation, ms)
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append((info["generation"], (time.perf_counter() - self._started) * 1000))

    def summary(self) -> dict:
        gen2 = [ms for generation, ms in self.pauses if generation == 2]
        return {
            "gc_runs": len(self.pauses),
            "gc_gen2_runs": len(gen2),
            "gc_max_ms": max((ms for _, ms in self.pauses), default=0.0),
            "gc_gen2_total_ms": sum(gen2),
        }


class SlotTimes:
    """How long the cache queries and the controller's refreshes ran on the GUI thread (the usual suspects)."""

    def __init__(self, any_thread: bool = False) -> None:
        self.any_thread = any_thread
        self.longest: dict[str, float] = {}
        self.total: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def wrap(self, owner, name: str, label: str) -> None:
        original = getattr(owner, name)
        if isinstance(owner, type):  # a method on the class: keep `self`
            unbound = original

            def original(*args, **kwargs):
                return unbound(*args, **kwargs)

        def timed(*args, **kwargs):
            if not self.any_thread and threading.current_thread() is not threading.main_thread():
                return original(*args, **kwargs)
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                ms = (time.perf_counter() - started) * 1000
                self.longest[label] = max(self.longest.get(label, 0.0), ms)
                self.total[label] = self.total.get(label, 0.0) + ms
                self.calls[label] = self.calls.get(label, 0) + 1

        setattr(owner, name, timed)

    def summary(self) -> dict:
        return {
            label: {
                "max_ms": round(self.longest[label], 1),
                "total_ms": round(self.total[label], 1),
                "calls": self.calls[label],
            }
            for label in sorted(self.longest)
        }


class StdinCommands(QObject):
    quit_requested = Signal()

    def start(self) -> None:
        def read() -> None:
            for line in sys.stdin:
                if line.strip() == "quit":
                    break
            self.quit_requested.emit()

        threading.Thread(target=read, name="stdin", daemon=True).start()


def start_app(profile_dir: str):
    from desktop import i18n
    from desktop.profile import Profile
    from desktop.session import Session
    from desktop.ui import theme
    from desktop.ui.app import DesktopApp, tune_process
    from desktop.vault import KdfParams

    app = QApplication.instance() or QApplication(["menscentraal"])
    app.setApplicationName("MensCentraal Mobiel")
    app.setOrganizationName("MensCentraal")
    i18n.install_language(i18n.DEFAULT_LANGUAGE)
    theme.apply(app)
    controller = DesktopApp(Session(Profile(Path(profile_dir)), None, kdf=KdfParams()))
    tune_process(controller)  # as main() does: what a user's app runs with
    app.aboutToQuit.connect(controller.shutdown)
    return app, controller


def log_in(controller, password: str) -> None:
    controller.start()
    window = controller.login_window
    window.password.setText(password)
    window.login_button.click()


def stamp(owner, name: str, phases: dict, label: str, at_end: bool = False) -> None:
    """`phases[label]`: seconds after the interpreter started when `owner.name` was first called
    (or first returned, `at_end`)."""
    original = getattr(owner, name)

    def stamped(*args, **kwargs):
        if not at_end:
            phases.setdefault(label, time.perf_counter() - STARTED)
        try:
            return original(*args, **kwargs)
        finally:
            if at_end:
                phases.setdefault(label, time.perf_counter() - STARTED)

    setattr(owner, name, stamped)


def cold(profile_dir: str, password: str) -> None:
    imported = time.perf_counter()
    app, controller = start_app(profile_dir)
    phases = {"imports_s": imported - STARTED, "app_made_s": time.perf_counter() - STARTED}
    done = []
    timing = SlotTimes(any_thread=True)
    from desktop import session as session_mod, vault as vault_mod

    timing.wrap(vault_mod.Vault, "unlock_with_password", "vault.unlock_with_password (KDF)")
    timing.wrap(session_mod.Session, "_call", "session._call (service requests)")
    timing.wrap(session_mod.Session, "_open_cache", "session._open_cache")
    timing.wrap(controller, "open_main", "open_main")
    # When the login had opened the cache, when its answer reached the GUI thread, and when the main window's code was ready
    # (prepare_main_window: made while the login waits, if the GUI thread got to it meanwhile).
    from desktop.ui.ops import account

    # The login waits on the network lane behind the login window's look at the service's health.
    timing.wrap(account.SessionLogin, "probe", "login window's health probe (network lane)")
    stamp(account.SessionLogin, "login", phases, "login_started_s")
    stamp(session_mod.Session, "_open_cache", phases, "cache_open_s", at_end=True)
    stamp(controller, "open_main", phases, "login_done_s")
    from desktop.ui import app as app_mod

    stamp(app_mod, "prepare_main_window", phases, "main_window_prepared_s", at_end=True)
    from desktop.cache import queries

    timing.wrap(queries, "my_case_list", "queries.my_case_list (reader thread)")

    whole = {"loaded": False, "rows": 0, "painted_after": False}

    def armed() -> bool:
        if controller.desk is None or controller.desk.pages.my_cases_model.rowCount() == 0:
            return False
        if whole["loaded"]:
            whole["painted_after"] = True  # this paint came after the whole list was applied
        return not done or whole["painted_after"]

    def list_loaded() -> None:
        if not whole["loaded"]:
            whole["loaded"], whole["rows"] = True, controller.desk.pages.my_cases_model.rowCount()
            phases["full_list_loaded_s"] = time.perf_counter() - STARTED

    def painted() -> None:
        if len(done) == 2:
            return
        if not done:
            done.append(True)
            emit(
                "painted",
                t=time.perf_counter(),
                rows=controller.desk.pages.my_cases_model.rowCount(),
                started=STARTED,
            )
        if not whole["painted_after"] or len(done) == 2:
            return
        done.append(True)
        emit(
            "full_list",
            t=time.perf_counter(),
            rows=whole["rows"],
            started=STARTED,
            cpu_s=time.process_time(),
            vm_hwm_mb=vm_hwm_mb(),
            phases=phases,
            timing=timing.summary(),
        )
        QTimer.singleShot(0, app.quit)

    watch = PaintWatch(controller, armed, painted)
    app.installEventFilter(watch)
    original_log_in_click = controller.start

    def start() -> None:
        phases["login_clicked_s"] = time.perf_counter() - STARTED
        original_log_in_click()

    controller.start = start

    def shown(_window) -> None:
        phases["main_window_shown_s"] = time.perf_counter() - STARTED
        controller.desk.pages.my_cases_model.loaded.connect(list_loaded)

    controller.main_window_shown.connect(shown)
    log_in(controller, password)
    app.exec()


class RssStages:
    """VmRSS and VmHWM around the lists' reads on any thread (issue 19: what the first sync's
    peak is made of: the reads at its end, the list they replace, the task lists)."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, float, float, float, float]] = []  # label, t, RSS before, after, HWM after

    def wrap(self, owner, name: str) -> None:
        original = getattr(owner, name)

        def measured(*args, **kwargs):
            started, before = time.perf_counter(), vm_rss_mb()
            try:
                return original(*args, **kwargs)
            finally:
                self.stages.append((name, started, before, vm_rss_mb(), vm_hwm_mb()))

        setattr(owner, name, measured)

    def summary(self, since: float) -> list[str]:
        return [
            f"{name} at {t - since:.1f} s: RSS {before:.0f} -> {after:.0f} MiB (HWM {hwm:.0f})"
            for name, t, before, after, hwm in self.stages[-12:]
        ]


def vm_rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def sync(profile_dir: str, password: str) -> None:
    app, controller = start_app(profile_dir)
    meter = StallMeter()
    sampler = StallSampler(meter)
    events = SlowEvents()
    if os.environ.get("BENCH_SLOW_EVENTS"):
        app.installEventFilter(events)
    pauses = GcPauses()
    slots = SlotTimes()
    from desktop.cache import outbox, queries

    rss = RssStages()
    for name in ("my_case_list", "team_queue", "my_tasks"):
        rss.wrap(queries, name)  # first: on the reader's thread too
    for name in ("my_case_list", "team_queue", "my_tasks", "status_summary", "unprocessed_changes", "sync_state"):
        slots.wrap(queries, name, f"queries.{name}")
    slots.wrap(outbox, "pending", "outbox.pending")
    from desktop.ui.desk import Desk  # the main window's controller, made at login

    slots.wrap(Desk, "update_status", "update_status")
    slots.wrap(Desk, "refresh_views", "refresh_views")
    commands = StdinCommands()
    commands.quit_requested.connect(app.quit)
    state = {"sync_done": False}

    def shown(_window) -> None:
        meter.start()
        sampler.start()
        events.origin = meter.started

    def finished(_result) -> None:
        if not state["sync_done"]:
            state["sync_done"] = True
            state["finished_at"] = time.perf_counter()
            # The lists are re-read after the sync (off the GUI thread, applied on it): the
            # window ends SETTLE_AFTER_SYNC_MS after the last of them was applied, so that work counts.
            pages = controller.desk.pages
            waiting = {pages.my_cases_model, pages.queue_model, pages.my_tasks_model}

            def applied(model) -> None:
                if model in waiting:
                    waiting.discard(model)
                    if not waiting:
                        QTimer.singleShot(SETTLE_AFTER_SYNC_MS, sync_settled)

            for model in list(waiting):
                model.loaded.connect(lambda model=model: applied(model))

    def failed(error) -> None:
        emit("error", where="sync", kind=type(error).__name__)
        app.quit()

    def sync_settled() -> None:
        meter.stop()
        sampler.stop()
        emit(
            "sync_done",
            max_gap_ms=max(meter.gaps),
            worst_gaps=meter.worst(),
            ticks=len(meter.gaps),
            sync_finished_s=state["finished_at"] - meter.started,
            vm_hwm_mb=vm_hwm_mb(),
            rows=controller.desk.pages.my_cases_model.rowCount(),
            slots=slots.summary(),
            stall_stacks=sampler.summary(),
            slow_events=events.summary(),
            rss_stages=rss.summary(meter.started),
            **pauses.summary(),
        )
        if os.environ.get("BENCH_RSS_STAGES"):  # the lists' reads and the memory around them
            with open(os.environ["BENCH_RSS_STAGES"], "a") as handle:
                handle.write("\n".join(rss.summary(meter.started)) + f"\nVmHWM at the end: {vm_hwm_mb():.0f} MiB\n\n")
        state["filter_run"] = FilterRun(controller, after=watch_queue)  # kept: Qt's connections do not keep it alive
        state["filter_run"].start()

    def watch_queue() -> None:
        model = controller.desk.pages.queue_model
        seen = {model.task(i).id for i in range(model.rowCount())}

        def check(*_args) -> None:
            now = time.perf_counter()
            for i in range(model.rowCount()):
                task_id = model.task(i).id
                if task_id not in seen:
                    seen.add(task_id)
                    emit("task_seen", id=task_id, t=now)

        for signal in (model.modelReset, model.rowsInserted, model.dataChanged, model.layoutChanged):
            signal.connect(check)
        emit("ready")
        commands.start()

    controller.main_window_shown.connect(shown)
    controller.sync_signals.finished.connect(finished)
    controller.sync_signals.failed.connect(failed)
    log_in(controller, password)
    app.exec()


class FilterRun(QObject):
    """Keystrokes in the My Cases filter; each timed until the viewport painted the new list."""

    def __init__(self, controller, after) -> None:
        super().__init__()
        self.controller, self.after = controller, after
        page = controller.desk.pages.my_cases_page
        self.page = page
        # (key, kind): a letter, None for a backspace, "clear" for select all + Delete. Kinds: "scan"
        # (every row searched), "narrow" (the last result searched), "backspace" (a recent
        # result), "clear" (the whole list shown again).
        self.keys: list[tuple[str | None, str]] = []
        for index, word in enumerate(FILTER_WORDS):
            self.keys += [(word[0], "scan")] + [(letter, "narrow") for letter in word[1:]]
            if index < len(FILTER_WORDS) - FILTER_CLEARED:
                self.keys += [(None, "backspace")] * len(word)
            else:
                self.keys.append(("clear", "clear"))
        self.samples: list[float] = []
        self.kinds: list[str] = []
        self._reloaded = False
        self._t0 = 0.0
        self._watch = PaintWatch(controller, lambda: self._reloaded, self._painted)
        self._shown = page.model.rowCount()
        page.model.counts_changed.connect(self._counts)  # the model applied the keystroke

    def start(self) -> None:
        self.controller.window.show_page("my_cases")
        self.page.filter.setFocus()
        self.page.table.viewport().installEventFilter(self._watch)
        QTimer.singleShot(50, self._next)

    def _counts(self, count: int) -> None:
        if count == 0 and self._shown == 0:
            # No case matched before or after: nothing to repaint, the keystroke is done.
            QTimer.singleShot(0, self._applied_without_paint)
        else:
            self._reloaded = True
        self._shown = count

    def _applied_without_paint(self) -> None:
        self._reloaded = True
        self._painted()

    def _next(self) -> None:
        if not self.keys:
            self.page.table.viewport().removeEventFilter(self._watch)
            emit("filter", samples_ms=self.samples, kinds=self.kinds)
            self.after()
            return
        key, kind = self.keys.pop(0)
        self.kinds.append(kind)
        self._reloaded = False
        self._t0 = time.perf_counter()
        if key is None:
            QTest.keyClick(self.page.filter, Qt.Key.Key_Backspace)
        elif key == "clear":
            QTest.keyClick(self.page.filter, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            QTest.keyClick(self.page.filter, Qt.Key.Key_Delete)
        else:
            QTest.keyClick(self.page.filter, key)

    def _painted(self) -> None:
        if not self._reloaded:
            return
        self._reloaded = False
        self.samples.append((time.perf_counter() - self._t0) * 1000)
        QTimer.singleShot(20, self._next)  # a typist's pause; not part of the sample


def main() -> None:
    profile_dir, mode = sys.argv[1], sys.argv[2]
    password = sys.stdin.readline().rstrip("\n")
    {"cold": cold, "sync": sync}[mode](profile_dir, password)


if __name__ == "__main__":
    main()
