"""Render every screen to PNG (make screenshots): python -m tests.ui.render_screenshots OUT_DIR.

Phase one fills a real encrypted cache with API-shaped pages (tests/ui/pages.py); the data is
fictitious. Offscreen Qt, no display needed.
"""
from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop.cache import queries  # noqa: E402
from desktop.ui import theme  # noqa: E402
from desktop.ui.case_view import CaseView  # noqa: E402
from desktop.ui.diagnosis import DiagnosisFrame  # noqa: E402
from desktop.ui.login import LoginWindow  # noqa: E402
from desktop.ui.main_window import MainWindow  # noqa: E402
from desktop.ui.models import MyCasesModel, TaskListModel  # noqa: E402
from desktop.ui.my_cases import MyCasesPage  # noqa: E402
from desktop.ui.notifications import NotificationSettings  # noqa: E402
from desktop.ui.operations import OperationRunner  # noqa: E402
from desktop.ui.tasks import TaskListPage  # noqa: E402
from tests.ui.pages import CONTACTS, NOW, filled_cache  # noqa: E402

DIAGNOSIS = ([{"label": "Dit apparaat is aangemeld", "ok": True, "message": "Apparaatcertificaat geldig tot 27-11-2027."},
              {"label": "Adres van de dienst", "ok": True, "message": "Het adres van de dienst is gevonden."},
              {"label": "Verbinding met de dienst", "ok": False,
               "message": "De dienst is niet bereikbaar vanaf deze plek; maak verbinding via Mobiel Werken of werk offline."},
              {"label": "Beveiligde verbinding", "ok": None, "message": "Niet gecontroleerd: eerst moet de dienst bereikbaar zijn."}],
             ["gemnet", "allowlisted-workplace"])


class ScreenshotLoginActions:
    def organisation_name(self): return "Gemeente Zaanstad"
    def contacts(self): return CONTACTS
    def can_work_offline(self): return True
    def password_rules(self, password):
        return [("Minstens 12 tekens", len(password) >= 12), ("Geen veelgebruikt wachtwoord", len(password) >= 1)]


def save(widget: QWidget, out: Path, name: str) -> None:
    app = QApplication.instance()
    widget.show()
    for _ in range(5):
        app.processEvents()
    widget.grab().save(str(out / name))
    print(f"screenshots: {name}")


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(["menscentraal"])
    theme.apply(app)
    runner = OperationRunner()
    with tempfile.TemporaryDirectory() as tmp:
        conn = filled_cache(Path(tmp) / "cache.db", 240)
        try:
            login = LoginWindow(ScreenshotLoginActions(), runner)
            login.resize(1200, 760)
            login.username.setText("s.bakker")
            save(login, out, "login.png")
            login.close()

            window = MainWindow("Sanne Bakker", "lokaal_beheerder")
            model = MyCasesModel(lambda: conn)
            cases_page = MyCasesPage(model)
            window.add_page("my_cases", "Mijn zaken", "my-cases", cases_page, "Ctrl+1")
            queue_model = TaskListModel(lambda: queries.team_queue(conn), TaskListModel.QUEUE_COLUMNS)
            people = lambda: (queries.colleagues(conn), queries.teams(conn))  # noqa: E731
            window.add_page("work_queue", "Werkbak", "work-queue", TaskListPage(False, queue_model, None, runner, people), "Ctrl+2")
            mine_model = TaskListModel(lambda: queries.my_tasks(conn), TaskListModel.MINE_COLUMNS)
            window.add_page("my_tasks", "Mijn taken", "my-tasks", TaskListPage(True, mine_model, None, runner, people), "Ctrl+3")
            case_view = CaseView(None, runner)
            window.pages.addWidget(case_view)
            settings = NotificationSettings(runner)
            window.pages.addWidget(settings)
            model.reload()
            queue_model.refresh_now()
            mine_model.refresh_now()
            last_sync = datetime.now(timezone.utc) - timedelta(minutes=4)
            window.set_online(True, last_sync)
            window.status.set_pending(2, 0)
            window.show_page("my_cases")
            save(window, out, "mijn-zaken.png")

            detail = queries.case_detail(conn, model.case_id(1))  # an open case
            case_view.show_case(detail.case, detail.tasks, queries.colleagues(conn), detail.pending_changes)
            window.pages.setCurrentWidget(case_view)
            save(window, out, "zaak.png")

            window.show_page("work_queue")
            save(window, out, "werkbak.png")
            window.show_page("my_tasks")
            save(window, out, "mijn-taken.png")

            settings.show_preferences(queries.preferences(conn), queries.teams(conn))
            window.pages.setCurrentWidget(settings)
            save(window, out, "meldingen.png")

            window.show_page("my_cases")
            window.set_online(False, datetime.now(timezone.utc) - timedelta(hours=3, minutes=12))
            window.status.set_pending(5, 0)
            save(window, out, "offline.png")

            diagnosis = DiagnosisFrame()
            diagnosis.panel.show_report(*DIAGNOSIS)
            diagnosis.resize(640, 560)
            save(diagnosis, out, "diagnose.png")
            window.close()
        finally:
            runner.shutdown()
            conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
