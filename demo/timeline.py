"""Working days and instants for ``generate-data``.

Instants are (working-day index, minute of the local day); only those up to now happen.
"""

from datetime import date, datetime, time, timedelta

SEND, CONFIRM_MORNING = 16 * 60 + 30, 8 * 60 + 30


class Timeline:
    """Working days from FIRST on, as indices; formatting of instants; what is past."""

    def __init__(self, cal, first: date, now: datetime, cutoff: time, ahead: int = 500):
        span = (now.date() - first).days + ahead
        all_days = (first + timedelta(days=i) for i in range(span))
        self.days = [d for d in all_days if cal.is_working_day(d)]
        past = [w for w, d in enumerate(self.days) if d < now.date()]
        self.last_received = past[-1] if past else -1
        if self.days[self.last_received + 1] == now.date():
            self.now = (self.last_received + 1, now.hour * 60 + now.minute)
        else:
            self.now = (self.last_received, 24 * 60)
        self.cutoff = cutoff.hour * 60 + cutoff.minute
        self._day = [f"{d:%Y-%m-%d} " for d in self.days]
        self._time = [f"{m // 60:02d}:{m % 60:02d}:" for m in range(24 * 60)]

    def received_days(self) -> range:
        """Receipts fall on the working days before today."""
        return range(self.last_received + 1)

    def day(self, w: int) -> date:
        return self.days[w]

    def stamp(self, w: int, minute: int, second: int = 0) -> str:
        return f"{self._day[w]}{self._time[minute]}{second:02d}+07:00"

    def past(self, w: int, minute: int) -> bool:
        return (w, minute) <= self.now
