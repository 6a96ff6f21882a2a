"""Progress on a terminal for the long commands (`batch`, `fetch`, `daily`, `eval`)."""

from __future__ import annotations


class ProgressBar:
    """A rich progress bar on a terminal; a silent callback elsewhere (CI logs stay short)."""

    def __init__(self, show: bool, rate: bool = False) -> None:
        self.show, self.rate = show, rate
        self._bar = None
        self._tasks: dict[str, int] = {}

    def __enter__(self):
        if self.show:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                ProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.text import Text

            class Rate(ProgressColumn):
                def render(self, task) -> Text:
                    speed = task.finished_speed or task.speed
                    return Text(f"{speed:.1f}/s" if speed else "–/s")

            columns = ((TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        Rate(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
                       if self.rate else ())
            self._bar = Progress(*columns, transient=True)
            self._bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)

    def __call__(self, label: str, done: int, total: int | None) -> None:
        if self._bar is None:
            return
        if label not in self._tasks:
            self._tasks[label] = self._bar.add_task(label, total=total)
        self._bar.update(self._tasks[label], completed=done, total=total)
