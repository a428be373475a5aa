"""Matching a part-4 row to the passport node it repeats, and where an unmatched one goes."""

from __future__ import annotations

from workbench.dataset.text import fold
from workbench.ingest.devplan.items import (
    _LEAVES,
    DIRECTION,
    SECTION,
    _Item,
    _language,
    _similarity,
)
from workbench.ingest.devplan.nodes import _Known, _Plan


def _match(plan: _Plan, item: _Item, stack: list[tuple[int, str, bool]]) -> str | None:
    """The passport node a part-4 item repeats, or None."""
    scope: str | None = None
    for _, node_id, known in reversed(stack):
        if known:
            scope = node_id
            break
    candidates = [known for known in plan.below(scope, item.level) if not known.matched]
    if not candidates:
        return None
    folded = fold(item.title)
    best = _same_title(item, folded, candidates) if folded else None
    if best is not None:
        best.matched = True
        return best.node_id
    stems = plan.stems(item.title)
    best_score = 0.0
    for cand in candidates:
        score = _similarity(stems, cand.stems)
        if score and item.number is not None and cand.number == item.number:
            score += 0.01
        if score > best_score:
            best, best_score = cand, score
    if best is None or best_score < 0.6:
        best = None
        language = _language(item.title)
        for cand in candidates:
            comparable = bool(item.title and cand.title) and (
                not language or not cand.language or language == cand.language
            )
            if item.number is not None and cand.number == item.number and not comparable:
                best = cand
                break
        if best is None and item.number is None:
            lone = [c for c in candidates if c.number is None]
            if len(lone) == 1 and plan.stems(item.title) & lone[0].stems:
                best = lone[0]
    if best is None:
        return None
    best.matched = True
    return best.node_id


def _same_title(item: _Item, folded: str, candidates: list[_Known]) -> _Known | None:
    """The first candidate of the same (folded) title, the first that also has the item's
    number if one has: a title shared outright outscores any shared stems, so the stems of
    neither need be worked out."""
    first: _Known | None = None
    for cand in candidates:
        if cand.folded == folded:
            if item.number is not None and cand.number == item.number:
                return cand
            if first is None:
                first = cand
    return first


def _place(plan: _Plan, item: _Item, stack: list[tuple[int, str, bool]], line: int) -> str:
    while stack and stack[-1][0] >= item.level:
        stack.pop()
    found = _match(plan, item, stack)
    node_id = found
    if node_id is None:
        parent = stack[-1][1] if stack else None
        node_id = plan.add(item, parent, line, known=False)
    if item.level == SECTION:
        plan.printed_sections.add(node_id)
    if found is not None and item.level > SECTION:
        _follow_part4(plan, found, stack)
    if item.level in _LEAVES:
        return node_id
    if found is not None:
        stack[:] = _chain(plan, found, stack)
    else:
        stack.append((item.level, node_id, False))
    return node_id


def _follow_part4(plan: _Plan, found: str, stack: list[tuple[int, str, bool]]) -> None:
    """Part 4 decides what holds an item the passport put straight under a section or a
    direction: the section part 4 prints above it, else its direction (or the goal part 4
    prints it under)."""
    passport_parent = plan.known[found].parent
    if passport_parent is not None and plan.known[passport_parent].level > SECTION:
        return
    container = _part4_container(plan, found, stack)
    if container is not None and container != passport_parent:
        plan.moved[found] = container


def _part4_container(plan: _Plan, found: str, stack: list[tuple[int, str, bool]]) -> str | None:
    """The innermost open part-4 container of an item, when it is in the item's direction."""
    if not stack:
        return None
    direction = _direction(plan, found)
    open_direction = next((n for lv, n, _ in reversed(stack) if lv <= DIRECTION), None)
    if direction is not None and open_direction is not None and direction != open_direction:
        return None
    return stack[-1][1]


def _direction(plan: _Plan, node_id: str) -> str | None:
    """The innermost direction (or group) above a passport node."""
    current = plan.known[node_id].parent
    while current is not None and current in plan.known:
        if plan.known[current].level <= DIRECTION:
            return current
        current = plan.known[current].parent
    return None


def _chain(
    plan: _Plan, node_id: str, stack: list[tuple[int, str, bool]]
) -> list[tuple[int, str, bool]]:
    """The part-4 stack at a passport container: its passport ancestry (the spheres and goals
    part 4 omits), but with the sections part 4 prints in place of the passport's."""
    out: list[tuple[int, str, bool]] = []
    current: str | None = node_id
    while current is not None and current in plan.known:
        known = plan.known[current]
        if known.level != SECTION or current == node_id:
            out.append((known.level, current, True))
        current = known.parent
    out.reverse()
    if plan.known[node_id].level <= SECTION:
        return out
    open_section = next((entry for entry in stack if entry[0] == SECTION), None)
    open_direction = next((n for lv, n, _ in reversed(stack) if lv <= DIRECTION), None)
    if open_section is None or open_direction is None:
        return out
    at = next((i for i, (lv, n, _) in enumerate(out) if n == open_direction), None)
    if at is None:
        return out
    return [*out[: at + 1], open_section, *out[at + 1 :]]
