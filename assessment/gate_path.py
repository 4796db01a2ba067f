"""The fewest improvements that make every gate of a result hold.

Each improvement raises one indicator to its top level and adds its lost points to every part holding it
(its variable, dimension, group, components and the total). A gate is a set of conditions "part reaches
its required points"; an `any` gate is satisfied through one of its parts (each choice is tried). The
search is exact: iterative deepening over *classes* of interchangeable improvements (same gain, same
conditions touched), pruned by a lower bound (for every open condition, how many of the largest remaining
gains it still needs). A node budget keeps it bounded; past the budget the greedy answer is returned and
flagged as possibly not the shortest.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assessment.gates import EPS, Gate, PartValue, required_points

NODE_BUDGET = 200_000
MAX_ANY_CHOICES = 64


@dataclass(frozen=True)
class Condition:
    members: frozenset[str]
    exact: float  # the part's score now
    required: float


@dataclass(frozen=True)
class Candidate:
    indicator: str
    gain: float


def _met(cond: Condition, gained: float, decimals: int) -> bool:
    return round(cond.exact + gained + 0.0, decimals) >= cond.required - EPS


def conditions_for(
    gates: Sequence[Gate], parts: Mapping[str, PartValue], members: Mapping[str, frozenset[str]], decimals: int
) -> list[list[Condition]]:
    """Alternative condition sets: one per combination of parts chosen for the unmet `any` gates."""
    fixed: list[Condition] = []
    choices: list[list[Condition]] = []
    for gate in gates:
        conds = [
            Condition(members[ref], parts[ref].exact, required_points(gate, parts[ref], decimals)) for ref in gate.parts
        ]
        if gate.quantifier == "any":
            if not any(_met(c, 0.0, decimals) for c in conds):
                choices.append(conds)
        else:
            fixed.extend(c for c in conds if not _met(c, 0.0, decimals))
    combos = itertools.islice(itertools.product(*choices), MAX_ANY_CHOICES)
    return [fixed + list(combo) for combo in combos]


def fewest(
    conditions: Sequence[Condition], candidates: Sequence[Candidate], decimals: int, budget: int = NODE_BUDGET
) -> tuple[list[str] | None, bool]:
    """(indicator ids in candidate order, optimal?) or (None, True) when the conditions cannot all be met."""
    step = 10.0 ** (-decimals)
    conds = list(conditions)
    if not conds:
        return [], True
    # classes of interchangeable candidates: same gain and same conditions touched
    classes: dict[tuple, list[Candidate]] = {}
    for cand in candidates:
        touched = tuple(n for n, c in enumerate(conds) if cand.indicator in c.members)
        if touched and cand.gain > EPS:
            classes.setdefault((round(cand.gain, 9), touched), []).append(cand)
    keys = sorted(classes, key=lambda k: -k[0])
    gain_of = [k[0] for k in keys]
    touch = [set(k[1]) for k in keys]
    size = [len(classes[k]) for k in keys]
    # reachable at all?
    if any(
        not _met(c, sum(gain_of[i] * size[i] for i in range(len(keys)) if n in touch[i]), decimals)
        for n, c in enumerate(conds)
    ):
        return None, True

    def need(n: int, acc: float) -> float:
        return conds[n].required - step / 2 - conds[n].exact - acc

    def bound(acc: list[float], taken: list[int], frozen: set[int]) -> tuple[int, int | None]:
        """(largest lower bound over open conditions, the open condition with it); -1 when one is impossible."""
        best, which = 0, None
        for n in range(len(conds)):
            if _met(conds[n], acc[n], decimals):
                continue
            left, k = need(n, acc[n]), 0
            for i in range(len(keys)):
                if n not in touch[i] or i in frozen:
                    continue
                for _ in range(size[i] - taken[i]):
                    if left <= EPS:
                        break
                    left -= gain_of[i]
                    k += 1
            if left > EPS:
                return -1, n
            k = max(k, 1)
            if which is None or k > best:
                best, which = k, n
        return best, which

    nodes = 0
    found: list[int] | None = None

    def dfs(depth_left: int, acc: list[float], taken: list[int], frozen: set[int]) -> bool:
        nonlocal nodes, found
        nodes += 1
        if nodes > budget:
            raise _Budget
        lb, which = bound(acc, taken, frozen)
        if which is None:
            found = list(taken)
            return True
        if lb < 0 or lb > depth_left:
            return False
        local_frozen = set(frozen)
        for i in range(len(keys)):
            if which not in touch[i] or i in local_frozen or taken[i] >= size[i]:
                continue
            taken[i] += 1
            for n in touch[i]:
                acc[n] += gain_of[i]
            if dfs(depth_left - 1, acc, taken, local_frozen):
                return True
            taken[i] -= 1
            for n in touch[i]:
                acc[n] -= gain_of[i]
            local_frozen.add(i)
        return False

    def pick(counts: list[int]) -> list[str]:
        chosen = {c.indicator for i, k in enumerate(keys) for c in classes[k][: counts[i]]}
        return [c.indicator for c in candidates if c.indicator in chosen]

    start, _ = bound([0.0] * len(conds), [0] * len(keys), set())
    try:
        for depth in range(max(start, 1), sum(size) + 1):
            if dfs(depth, [0.0] * len(conds), [0] * len(keys), set()):
                return pick(found or []), True
    except _Budget:
        return _greedy(conds, candidates, decimals), False
    return None, True


class _Budget(Exception):
    pass


def _greedy(conds: Sequence[Condition], candidates: Sequence[Candidate], decimals: int) -> list[str]:
    """Largest reduction of the open deficits first; used only past the node budget."""
    acc = [0.0] * len(conds)
    chosen: list[str] = []
    left = list(candidates)
    while any(not _met(c, acc[n], decimals) for n, c in enumerate(conds)) and left:

        def value(cand: Candidate) -> float:
            return sum(
                min(cand.gain, max(0.0, c.required - c.exact - acc[n]))
                for n, c in enumerate(conds)
                if cand.indicator in c.members and not _met(c, acc[n], decimals)
            )

        best = max(left, key=value)
        if value(best) <= EPS:
            break
        left.remove(best)
        chosen.append(best.indicator)
        for n, c in enumerate(conds):
            if best.indicator in c.members:
                acc[n] += best.gain
    order = {c.indicator: n for n, c in enumerate(candidates)}
    return sorted(chosen, key=order.__getitem__)


def path_to_result(
    gates: Sequence[Gate],
    parts: Mapping[str, PartValue],
    members: Mapping[str, frozenset[str]],
    candidates: Sequence[Candidate],
    decimals: int,
) -> tuple[list[str] | None, bool]:
    """The shortest list over every way of meeting the `any` gates; (None, True) when none is reachable."""
    best: list[str] | None = None
    optimal = True
    for conds in conditions_for(gates, parts, members, decimals):
        ids, exact = fewest(conds, candidates, decimals)
        if ids is not None and (best is None or len(ids) < len(best)):
            best, optimal = ids, exact
    return best, optimal
