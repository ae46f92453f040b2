"""One person in several roles (a township outlet's 大堂经理 who is also its 客户经理).

A person does one thing at a time: where two of their roles have a duty at the same moment (a
plan's roles, the steps of the peak-hour chain, the cast of a role-play) they keep the first
role and the later one gets the role's other people or a stand-in to name. The staff count
counts each person once.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..core.model import Outlet

STAND_IN = "替补：________"


def roles_of(outlet: Outlet) -> dict[str, list[str]]:
    """Each person → their roles, in the file's order."""
    out: dict[str, list[str]] = {}
    for role, names in outlet.staff.items():
        for name in names:
            if role not in out.setdefault(name, []):
                out[name].append(role)
    return out


def several_roles(outlet: Outlet) -> dict[str, list[str]]:
    return {name: roles for name, roles in roles_of(outlet).items() if len(roles) > 1}


def headcount(outlet: Outlet) -> int:
    return len(roles_of(outlet))


@dataclass
class Cast:
    """Who is on which role in one plan, one chain or one role-play."""
    role: str
    names: list[str]  # the role's people not already on an earlier role
    busy: list[tuple[str, str]]  # (person, the earlier role they are on)

    @property
    def stand_in(self) -> bool:
        """Everyone of the role is busy elsewhere: a stand-in must be named."""
        return bool(self.busy) and not self.names

    def note(self) -> str:
        """What the form prints under the names: who is busy where."""
        if not self.busy:
            return ""
        who = "、".join(f"{p}在本表任{r}" for p, r in self.busy)
        return f"{who}，此项不兼" + (f"；{STAND_IN}" if self.stand_in else "")


def cast(outlet: Outlet, roles: list[str]) -> list[Cast]:
    """The roles in order, each person on the first of them only."""
    on: dict[str, str] = {}
    out = []
    for role in roles:
        names, busy = [], []
        for name in outlet.staff.get(role, []):
            if name in on and on[name] != role:
                busy.append((name, on[name]))
            else:
                names.append(name)
                on.setdefault(name, role)
        out.append(Cast(role, names, busy))
    return out
